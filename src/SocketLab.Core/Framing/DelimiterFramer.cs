namespace SocketLab.Core.Framing;

/// <summary>
/// Frames end with a delimiter such as <c>\n</c>; the delimiter is not part of the frame.
/// With <c>trimCarriageReturn</c>, a <c>\r</c> just before the delimiter is dropped too (lines
/// ending in CRLF or LF alike).
/// </summary>
public sealed class DelimiterFramer : BufferedFramer
{
    private readonly byte[] _delimiter;
    private readonly bool _trimCr;
    private int _scanFrom;

    public DelimiterFramer(ReadOnlySpan<byte> delimiter, int maxFrameSize, bool trimCarriageReturn = false) : base(maxFrameSize)
    {
        if (delimiter.IsEmpty)
            throw new ArgumentException("the delimiter needs at least one byte", nameof(delimiter));
        _delimiter = delimiter.ToArray();
        _trimCr = trimCarriageReturn;
    }

    protected override bool TryCut(ReadOnlySpan<byte> pending, out int offset, out int length, out int consumed)
    {
        offset = 0;
        int at = pending[_scanFrom..].IndexOf(_delimiter);
        if (at < 0)
        {
            // Bytes that cannot start a delimiter need not be searched again.
            _scanFrom = Math.Max(0, pending.Length - (_delimiter.Length - 1));
            if (pending.Length - (_delimiter.Length - 1) > MaxFrameSize)
                throw new FrameTooLargeException($"no delimiter within {MaxFrameSize} bytes");
            length = consumed = 0;
            return false;
        }
        at += _scanFrom;
        length = at;
        if (_trimCr && length > 0 && pending[length - 1] == (byte)'\r')
            length--;
        if (length > MaxFrameSize)
            throw new FrameTooLargeException($"frame of {length} bytes is longer than the maximum {MaxFrameSize}");
        consumed = at + _delimiter.Length;
        return true;
    }

    protected override void OnConsumed(int consumed) => _scanFrom = 0;

    public override void Reset()
    {
        base.Reset();
        _scanFrom = 0;
    }
}
