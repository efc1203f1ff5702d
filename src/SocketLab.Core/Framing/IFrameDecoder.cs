namespace SocketLab.Core.Framing;

/// <summary>Receives one complete frame; the span is only valid during the call.</summary>
public delegate void FrameHandler(ReadOnlySpan<byte> frame);

/// <summary>
/// Cuts a byte stream into the messages the sender meant, whatever way TCP split or merged them
/// ("sticky packets"). One decoder per connection and direction; not thread-safe.
/// </summary>
public interface IFrameDecoder
{
    /// <summary>
    /// Adds received bytes and calls <paramref name="onFrame"/> for every frame they complete.
    /// Throws <see cref="FrameTooLargeException"/> when a frame would exceed the maximum size;
    /// call <see cref="Reset"/> before feeding again.
    /// </summary>
    void Feed(ReadOnlySpan<byte> data, FrameHandler onFrame);

    /// <summary>Bytes held that do not make a whole frame yet.</summary>
    int Pending { get; }

    /// <summary>Returns the held bytes (at end of stream) and empties the decoder.</summary>
    byte[] TakeRemainder();

    /// <summary>Drops whatever is held.</summary>
    void Reset();
}
