using System.Net;
using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>A listening TCP socket opened as the server opens its own (dual-stack on ::, SO_REUSEADDR only), with errors a person can act on.</summary>
public static class ListenSocket
{
    /// <summary>Binds and listens; failures are <see cref="NetworkException"/>s ("cannot listen on …: address already in use …").</summary>
    public static Socket Open(IPEndPoint endPoint, int backlog = 512)
    {
        if (endPoint.Address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
            endPoint = new IPEndPoint(IPAddress.Any, endPoint.Port);
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
                listener.DualMode = true;
            // SO_REUSEADDR only: a restart can listen at once, a second listener is still refused.
            if (OperatingSystem.IsLinux())
                listener.SetRawSocketOption(LinuxSocketConstants.SolSocket, LinuxSocketConstants.SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(endPoint);
            listener.Listen(backlog);
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw NetworkException.From(ex, NetworkOperation.Listen, EndpointText.HostPort(endPoint));
        }
    }
}
