using SocketLab.Core.Udp;

namespace SocketLab.Cli.Output;

/// <summary>Turns datagrams into console events; does no formatting on the receive loop.</summary>
public sealed class UdpSinkObserver(ConsoleSink sink) : IUdpObserver
{
    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) =>
        sink.Data(EventKind.DatagramReceived, peer.Id, peer.EndPoint, data);

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo)
    {
        if ((sink.Options.ShowSent && !echo) || sink.Options.Json)
            sink.Data(EventKind.DatagramSent, peer.Id, peer.EndPoint, data);
    }
}
