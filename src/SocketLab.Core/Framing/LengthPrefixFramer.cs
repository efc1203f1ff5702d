using System.Buffers.Binary;

namespace SocketLab.Core.Framing;

/// <summary>
/// Each frame starts with its payload length as an unsigned 1-, 2- or 4-byte integer, big- or
/// little-endian; the frame handed on is the payload, without the header.
/// </summary>
public sealed class LengthPrefixFramer : BufferedFramer
{
    public LengthPrefixFramer(int headerBytes, bool bigEndian, int maxFrameSize) : base(maxFrameSize)
    {
        if (headerBytes is not (1 or 2 or 4))
            throw new ArgumentOutOfRangeException(nameof(headerBytes), headerBytes, "the length header is 1, 2 or 4 bytes");
        HeaderBytes = headerBytes;
        BigEndian = bigEndian;
    }

    public int HeaderBytes { get; }
    public bool BigEndian { get; }

    protected override bool TryCut(ReadOnlySpan<byte> pending, out int offset, out int length, out int consumed)
    {
        offset = HeaderBytes;
        length = consumed = 0;
        if (pending.Length < HeaderBytes)
            return false;
        ReadOnlySpan<byte> header = pending[..HeaderBytes];
        long declared = HeaderBytes switch
        {
            1 => header[0],
            2 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header) : BinaryPrimitives.ReadUInt16LittleEndian(header),
            _ => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header) : BinaryPrimitives.ReadUInt32LittleEndian(header),
        };
        if (declared > MaxFrameSize)
            throw new FrameTooLargeException($"length header says {declared} bytes, more than the maximum {MaxFrameSize}");
        if (pending.Length - HeaderBytes < declared)
            return false;
        length = (int)declared;
        consumed = HeaderBytes + length;
        return true;
    }
}
