using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using SocketLab.Core.Net;
using SocketLab.Core.Serial;

namespace SocketLab.Core.Bridge;

/// <summary>
/// The bridge's endpoint grammar: <c>serial:PORT[@BAUD[,8N1]]</c>, <c>tcp:HOST:PORT</c> (connect),
/// <c>tcp-listen:[ADDR:]PORT</c> (accept any number of clients), <c>udp:HOST:PORT</c> (datagrams to and from one peer).
/// </summary>
public static class BridgeEndpoint
{
    public const string Forms = "serial:PORT[@BAUD[,8N1]], tcp:HOST:PORT, tcp-listen:[ADDR:]PORT, udp:HOST:PORT";

    public static bool TryParse(string text, [NotNullWhen(true)] out IBridgeEnd? end, [NotNullWhen(false)] out string? error)
    {
        end = null;
        int colon = text.IndexOf(':');
        string kind = colon < 0 ? "" : text[..colon].ToLowerInvariant();
        string rest = colon < 0 ? "" : text[(colon + 1)..];
        switch (kind)
        {
            case "serial":
                if (!SerialSettings.TryParse(rest, out SerialSettings? serial, out error))
                {
                    error = $"'{text}': {error}";
                    return false;
                }
                end = new SerialBridgeEnd(text, serial);
                return true;
            case "tcp" or "udp":
                if (!HostPort.TryParse(rest, out HostPort? target, out error))
                {
                    error = $"'{text}': {error}";
                    return false;
                }
                end = kind == "tcp" ? new TcpConnectBridgeEnd(text, target.Value) : new UdpBridgeEnd(text, target.Value);
                return true;
            case "tcp-listen":
                if (!TryParseListen(rest, out IPEndPoint? local))
                {
                    error = $"'{text}': expected tcp-listen:PORT or tcp-listen:ADDR:PORT such as tcp-listen:5001 or tcp-listen:127.0.0.1:5001";
                    return false;
                }
                end = new TcpListenBridgeEnd(text, local);
                error = null;
                return true;
            default:
                error = $"'{text}' is not an endpoint (use {Forms})";
                return false;
        }
    }

    /// <summary>"5001" (every interface, IPv4 and IPv6), "127.0.0.1:5001", "[::1]:5001".</summary>
    public static bool TryParseListen(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            endPoint = new IPEndPoint(IPAddress.IPv6Any, port);
            return true;
        }
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !IPAddress.TryParse(text[..colon].Trim('[', ']'), out IPAddress? address)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            return false;
        endPoint = new IPEndPoint(address, port);
        return true;
    }
}
