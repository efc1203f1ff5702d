using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>How endpoints are written for people: the board's <c>ip:port</c> and Python's <c>('ip', port)</c>.</summary>
public static class EndpointText
{
    /// <summary>IPv4-mapped IPv6 addresses (from a dual-stack listener) shown as plain IPv4.</summary>
    public static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static string HostPort(IPEndPoint ep)
    {
        IPAddress a = Plain(ep.Address);
        return a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{ep.Port}" : $"{a}:{ep.Port}";
    }

    /// <summary>The tuple MicroPython prints for <c>print(addr, "connected")</c>.</summary>
    public static string PythonTuple(IPEndPoint ep) => $"('{Plain(ep.Address)}', {ep.Port})";

    /// <summary>
    /// The one address shown where one fits — the board's OLED "ip:port", the page's "the board sends to",
    /// the virtual board's own IP: the first of <see cref="ReachableAddresses"/> (a LAN address, else loopback).
    /// </summary>
    public static IPAddress ReachableAddress(IPAddress bound) => ReachableAddresses(bound)[0];

    /// <summary><see cref="ReachableAddress"/> with the listener's port, as "ip:port".</summary>
    public static string ReachableHostPort(IPEndPoint local) => HostPort(new IPEndPoint(ReachableAddress(local.Address), local.Port));

    /// <summary>The addresses a peer on the LAN could use to reach a listener bound to <paramref name="bound"/>, LAN ones first; never empty.</summary>
    public static IReadOnlyList<IPAddress> ReachableAddresses(IPAddress bound)
    {
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
            return [Plain(bound)];
        var list = new List<IPAddress>();
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                    continue;
                foreach (UnicastIPAddressInformation ua in nic.GetIPProperties().UnicastAddresses)
                {
                    if (ua.Address.AddressFamily == AddressFamily.InterNetwork)
                        list.Add(ua.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Interface enumeration is a convenience; a listener works without it.
        }
        if (list.Count == 0)
            list.Add(IPAddress.Loopback);
        // Non-loopback first: that is the address a board or phone needs.
        return list.OrderBy(a => IPAddress.IsLoopback(a) ? 1 : 0).ToList();
    }
}
