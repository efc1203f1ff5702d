using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Transcripts;

/// <summary>
/// Records TCP connection events into a transcript. Echoes are not reported by
/// <see cref="TcpConnection"/>, so when a connection echoes, each received chunk is also recorded
/// as an outgoing chunk marked <c>echo</c> (the same bytes, in the order they are sent back).
/// </summary>
public sealed class TcpTranscriptRecorder(TranscriptWriter writer, string role) : IConnectionObserver
{
    public void OnConnected(TcpConnection c) => writer.Write(Event(c, TranscriptEventKind.Open));

    public void OnReceived(TcpConnection c, ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        writer.Write(Event(c, TranscriptEventKind.Data) with { Direction = TranscriptDirection.In, Data = copy });
        if (c.Echo)
            writer.Write(Event(c, TranscriptEventKind.Data) with { Direction = TranscriptDirection.Out, Echo = true, Data = copy });
    }

    public void OnSent(TcpConnection c, ReadOnlySpan<byte> data) =>
        writer.Write(Event(c, TranscriptEventKind.Data) with { Direction = TranscriptDirection.Out, Data = data.ToArray() });

    public void OnClosed(TcpConnection c, CloseReason reason, string? detail) =>
        writer.Write(Event(c, TranscriptEventKind.Close) with { Reason = reason.Code(), Detail = detail });

    private TranscriptEvent Event(TcpConnection c, TranscriptEventKind kind) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = "tcp",
        Role = role,
        Connection = c.Id,
        Kind = kind,
        Local = EndpointText.HostPort(c.LocalEndPoint),
        Remote = EndpointText.HostPort(c.RemoteEndPoint),
    };
}
