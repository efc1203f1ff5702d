namespace SocketLab.Core.Framing;

/// <summary>Holds received bytes until a subclass finds a whole frame in them.</summary>
public abstract class BufferedFramer : IFrameDecoder
{
    private byte[] _buffer = new byte[256];
    private int _start;
    private int _count;

    protected BufferedFramer(int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameSize, 1);
        MaxFrameSize = maxFrameSize;
    }

    /// <summary>Longest payload accepted, in bytes.</summary>
    public int MaxFrameSize { get; }

    public int Pending => _count;

    public void Feed(ReadOnlySpan<byte> data, FrameHandler onFrame)
    {
        Append(data);
        while (_count > 0)
        {
            ReadOnlySpan<byte> pending = _buffer.AsSpan(_start, _count);
            if (!TryCut(pending, out int offset, out int length, out int consumed))
                break;
            onFrame(pending.Slice(offset, length));
            _start += consumed;
            _count -= consumed;
            OnConsumed(consumed);
        }
        if (_count == 0)
            _start = 0;
    }

    /// <summary>
    /// Looks for one whole frame at the start of <paramref name="pending"/>: the payload is
    /// <c>pending[offset..offset+length]</c> and <paramref name="consumed"/> bytes are removed.
    /// Throws <see cref="FrameTooLargeException"/> when no frame within the limit can come.
    /// </summary>
    protected abstract bool TryCut(ReadOnlySpan<byte> pending, out int offset, out int length, out int consumed);

    /// <summary>Lets a subclass that remembers a scan position move it after a cut.</summary>
    protected virtual void OnConsumed(int consumed) { }

    public byte[] TakeRemainder()
    {
        byte[] rest = _buffer.AsSpan(_start, _count).ToArray();
        Reset();
        return rest;
    }

    public virtual void Reset()
    {
        _start = 0;
        _count = 0;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_start + _count + data.Length > _buffer.Length)
        {
            if (_count + data.Length > _buffer.Length)
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, _count + data.Length)];
                _buffer.AsSpan(_start, _count).CopyTo(bigger);
                _buffer = bigger;
            }
            else
            {
                _buffer.AsSpan(_start, _count).CopyTo(_buffer);
            }
            _start = 0;
        }
        data.CopyTo(_buffer.AsSpan(_start + _count));
        _count += data.Length;
    }
}
