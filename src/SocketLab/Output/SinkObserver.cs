using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Cli.Output;

/// <summary>
/// Turns connection events into console events; does no formatting on the socket thread.
/// <paramref name="echoLoopUndo"/> words the end of the echo loop notice for a connection (what to type to undo it).
/// </summary>
public sealed class SinkObserver(ConsoleSink sink, Func<TcpConnection, string> echoLoopUndo) : IConnectionObserver
{
    public void OnConnected(TcpConnection c) =>
        sink.Post(new OutputEvent { Kind = EventKind.Connected, ConnectionId = c.Id, Remote = c.RemoteEndPoint, Local = c.LocalEndPoint });

    public void OnReceived(TcpConnection c, ReadOnlySpan<byte> data) => sink.Data(EventKind.Received, c, data);

    public void OnSent(TcpConnection c, ReadOnlySpan<byte> data)
    {
        if (sink.Options.ShowSent || sink.Options.Json)
            sink.Data(EventKind.Sent, c, data);
    }

    public void OnEchoLoop(TcpConnection c, EchoLoopInfo loop) => sink.EchoLoop(c.Id, c.RemoteEndPoint, loop, echoLoopUndo(c));

    public void OnClosed(TcpConnection c, CloseReason reason, string? detail) =>
        sink.Post(new OutputEvent
        {
            Kind = reason == CloseReason.Rejected ? EventKind.Rejected : EventKind.Closed,
            ConnectionId = c.Id,
            Remote = c.RemoteEndPoint,
            Reason = reason,
            Text = c.Rejection is { } why ? NetworkErrorText.Of(why) : detail,
            BytesIn = c.BytesIn,
            BytesOut = c.BytesOut,
        });
}
