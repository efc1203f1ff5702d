using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Rendering;

/// <summary>
/// Writes a frame as a PNG: 1-bit palette image, lit pixels in the OLED's colour, each pixel
/// scaled to N×N. Only what a 2-colour image needs: IHDR, PLTE, one IDAT (zlib), IEND.
/// </summary>
public static class PngEncoder
{
    public const int MaxScale = 32;
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Lit pixels: the pale blue-white of the board's OLED; unlit: black.</summary>
    public static (byte R, byte G, byte B) OnColor { get; } = (0xE8, 0xF4, 0xFF);
    public static (byte R, byte G, byte B) OffColor { get; } = (0x00, 0x00, 0x00);

    public static byte[] Encode(OledFrame frame, int scale = 1)
    {
        if (scale is < 1 or > MaxScale)
            throw new ArgumentOutOfRangeException(nameof(scale), $"scale must be 1-{MaxScale}, got {scale}");
        int width = OledFrame.Width * scale, height = OledFrame.Height * scale;
        int stride = (width + 7) / 8;

        // Each scanline: filter byte 0 (none), then pixels packed 8 per byte, leftmost in the high bit.
        var raw = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++)
        {
            int line = y * (stride + 1);
            for (int x = 0; x < width; x++)
                if (frame.GetPixel(x / scale, y / scale))
                    raw[line + 1 + (x >> 3)] |= (byte)(0x80 >> (x & 7));
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 1;  // bit depth
        ihdr[9] = 3;  // colour type: palette
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "PLTE"u8, [OffColor.R, OffColor.G, OffColor.B, OnColor.R, OnColor.G, OnColor.B]);
        WriteChunk(png, "IDAT"u8, Deflate(raw));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);
        return output.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }
}
