using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<long, IFrameDecoder> _decoders = new();

    public void OnConnected(TcpConnection c)
    {
        _decoders[c.Id] = spec.CreateDecoder(maxFrameSize);
        inner.OnConnected(c);
    }

    public void OnReceived(TcpConnection c, ReadOnlySpan<byte> data)
    {
        IFrameDecoder decoder = _decoders.GetOrAdd(c.Id, _ => spec.CreateDecoder(maxFrameSize));
        try
        {
            decoder.Feed(data, frame => inner.OnReceived(c, frame));
        }
        catch (FrameTooLargeException ex)
        {
            // The framing does not fit this peer: show its bytes as they come from now on.
            warn($"#{c.Id}: --frame {spec}: {ex.Message}; showing raw data from here");
            byte[] held = decoder.TakeRemainder();
            _decoders[c.Id] = new RawFramer();
            if (held.Length > 0)
                inner.OnReceived(c, held);
        }
    }

    public void OnSent(TcpConnection c, ReadOnlySpan<byte> data) => inner.OnSent(c, data);

    public void OnEchoLoop(TcpConnection c, EchoLoopInfo loop) => inner.OnEchoLoop(c, loop);

    public void OnClosed(TcpConnection c, CloseReason reason, string? detail)
    {
        if (_decoders.TryRemove(c.Id, out IFrameDecoder? decoder) && decoder.Pending > 0)
            inner.OnReceived(c, decoder.TakeRemainder()); // An unfinished last message is still shown.
        inner.OnClosed(c, reason, detail);
    }
}
