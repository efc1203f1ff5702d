using SocketLab.Core.Net;
using SocketLab.Core.Udp;

namespace SocketLab.Core.Transcripts;

/// <summary>Records every datagram into a transcript; the connection id is the peer's id.</summary>
public sealed class UdpTranscriptRecorder(TranscriptWriter writer, string role) : IUdpObserver
{
    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) =>
        writer.Write(Event(endpoint, peer, TranscriptDirection.In, data, echo: false));

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo) =>
        writer.Write(Event(endpoint, peer, TranscriptDirection.Out, data, echo));

    private TranscriptEvent Event(UdpEndpoint endpoint, UdpPeer peer, TranscriptDirection direction, ReadOnlySpan<byte> data, bool echo) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = "udp",
        Role = role,
        Connection = peer.Id,
        Kind = TranscriptEventKind.Data,
        Direction = direction,
        Echo = echo,
        Local = EndpointText.HostPort(endpoint.LocalEndPoint),
        Remote = EndpointText.HostPort(peer.EndPoint),
        Data = data.ToArray(),
    };
}
