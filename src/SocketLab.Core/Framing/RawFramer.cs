namespace SocketLab.Core.Framing;

/// <summary>No framing: every read is a frame, exactly as it arrived.</summary>
public sealed class RawFramer : IFrameDecoder
{
    public int Pending => 0;

    public void Feed(ReadOnlySpan<byte> data, FrameHandler onFrame)
    {
        if (!data.IsEmpty)
            onFrame(data);
    }

    public byte[] TakeRemainder() => [];

    public void Reset() { }
}
