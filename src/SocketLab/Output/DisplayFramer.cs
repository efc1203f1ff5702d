using System.Collections.Concurrent;
using SocketLab.Core.Framing;

namespace SocketLab.Cli.Output;

/// <summary>
/// Cuts the streams shown on the console into <c>--frame</c> messages, one decoder per stream (a
/// connection's direction). A stream whose message outgrows <c>--frame-max</c> is shown raw from then
/// on, with one warning. Display only: what is echoed, relayed or recorded stays as it came.
/// </summary>
public sealed class DisplayFramer(FrameSpec spec, int maxFrameSize, Action<string> warn)
{
    private readonly ConcurrentDictionary<(long Id, int Stream), IFrameDecoder> _decoders = new();

    /// <summary>Feeds a chunk of stream (<paramref name="id"/>, <paramref name="stream"/>); <paramref name="show"/> gets each whole message. <paramref name="who"/> names the stream in the warning ("#3").</summary>
    public void Feed(long id, int stream, ReadOnlySpan<byte> data, FrameHandler show, string who)
    {
        IFrameDecoder decoder = _decoders.GetOrAdd((id, stream), _ => spec.CreateDecoder(maxFrameSize));
        try
        {
            decoder.Feed(data, show);
        }
        catch (FrameTooLargeException ex)
        {
            // The framing does not fit this peer: show its bytes as they come from now on.
            warn($"{who}: --frame {spec}: {ex.Message}; showing raw data from here");
            byte[] held = decoder.TakeRemainder();
            _decoders[(id, stream)] = new RawFramer();
            if (held.Length > 0)
                show(held);
        }
    }

    /// <summary>The stream ended: an unfinished last message is still shown, and the decoder forgotten.</summary>
    public void End(long id, int stream, FrameHandler show)
    {
        if (_decoders.TryRemove((id, stream), out IFrameDecoder? decoder) && decoder.Pending > 0)
            show(decoder.TakeRemainder());
    }
}
