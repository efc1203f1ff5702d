using SocketLab.Core.Framing;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Cli.Output;

/// <summary>
/// Passes received data on as whole frames (one per message) instead of as TCP happened to
/// deliver it. Only what is shown changes: echo and transcripts see the raw bytes.
/// </summary>
public sealed class FramedObserver(FrameSpec spec, int maxFrameSize, IConnectionObserver inner, Action<string> warn) : IConnectionObserver
{
    private readonly DisplayFramer _framer = new(spec, maxFrameSize, warn);

    public void OnConnected(TcpConnection c) => inner.OnConnected(c);

    public void OnReceived(TcpConnection c, ReadOnlySpan<byte> data) => _framer.Feed(c.Id, 0, data, frame => inner.OnReceived(c, frame), $"#{c.Id}");

    public void OnSent(TcpConnection c, ReadOnlySpan<byte> data) => inner.OnSent(c, data);

    public void OnEchoLoop(TcpConnection c, EchoLoopInfo loop) => inner.OnEchoLoop(c, loop);

    public void OnClosed(TcpConnection c, CloseReason reason, string? detail)
    {
        _framer.End(c.Id, 0, frame => inner.OnReceived(c, frame)); // An unfinished last message is still shown.
        inner.OnClosed(c, reason, detail);
    }
}
