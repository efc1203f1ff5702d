namespace SocketLab.Core.Framing;

/// <summary>Every frame is exactly <see cref="Length"/> bytes.</summary>
public sealed class FixedLengthFramer : BufferedFramer
{
    public FixedLengthFramer(int length) : base(length) => Length = length;

    public int Length { get; }

    protected override bool TryCut(ReadOnlySpan<byte> pending, out int offset, out int length, out int consumed)
    {
        offset = 0;
        bool whole = pending.Length >= Length;
        length = consumed = whole ? Length : 0;
        return whole;
    }
}
