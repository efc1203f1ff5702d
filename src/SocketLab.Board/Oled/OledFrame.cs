namespace SocketLab.Board.Oled;

/// <summary>
/// What the glass shows after one <c>show()</c>: an immutable copy of the 1024-byte MONO_VLSB
/// framebuffer (8 pages of 128 bytes; bit 0 of a byte is the top pixel of its 8-row page).
/// </summary>
public sealed class OledFrame
{
    public const int Width = 128;
    public const int Height = 64;
    public const int ByteCount = Width * Height / 8;

    private readonly byte[] _bytes;

    private OledFrame(byte[] bytes) => _bytes = bytes;

    /// <summary>A frame from 1024 framebuffer bytes (copied), e.g. received by a viewer.</summary>
    public static OledFrame FromBytes(ReadOnlySpan<byte> framebuffer)
    {
        if (framebuffer.Length != ByteCount)
            throw new ArgumentException($"an OLED frame is {ByteCount} bytes, got {framebuffer.Length}", nameof(framebuffer));
        return new OledFrame(framebuffer.ToArray());
    }

    public static OledFrame Blank { get; } = new(new byte[ByteCount]);

    /// <summary>The framebuffer bytes in the board's MONO_VLSB order.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True if the pixel is lit; false outside the screen.</summary>
    public bool GetPixel(int x, int y) =>
        (uint)x < Width && (uint)y < Height && (_bytes[(y >> 3) * Width + x] & (1 << (y & 7))) != 0;

    public bool ContentEquals(OledFrame other) => _bytes.AsSpan().SequenceEqual(other._bytes);
}
