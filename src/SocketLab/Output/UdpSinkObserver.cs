using SocketLab.Core.Net;
using SocketLab.Core.Udp;

namespace SocketLab.Cli.Output;

/// <summary>Turns datagrams into console events; does no formatting on the receive loop.</summary>
public sealed class UdpSinkObserver(ConsoleSink sink) : IUdpObserver
{
    public void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop) =>
        sink.EchoLoop(peer.Id, peer.EndPoint, loop,
            $"echo to peer #{peer.Id} {EndpointText.PythonTuple(peer.EndPoint)} is off now: type '/echo {peer.Id} on' to turn it back on, or start with --no-loop-guard");

    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) =>
        sink.Data(EventKind.DatagramReceived, peer.Id, peer.EndPoint, data);

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo)
    {
        if ((sink.Options.ShowSent && !echo) || sink.Options.Json)
            sink.Data(EventKind.DatagramSent, peer.Id, peer.EndPoint, data);
    }
}
