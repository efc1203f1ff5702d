using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;

namespace SocketLab.Board.Tests;

/// <summary>Decodes the PNG the encoder wrote (with its own CRC and inflate) and compares every pixel.</summary>
public class PngEncoderTests
{
    private static OledFrame SampleFrame()
    {
        var d = new OledDisplay();
        d.DispChar("hello mPython,I am TCP Client", 0, 0);
        d.DispChar("你好，掌控板", 0, 16, TextMode.Rev);
        d.Pixel(127, 63, true);
        d.Pixel(0, 63, true);
        return d.Show();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Decoding_the_png_gives_back_every_pixel(int scale)
    {
        OledFrame frame = SampleFrame();

        Decoded png = Decode(PngEncoder.Encode(frame, scale));

        Assert.Equal((128 * scale, 64 * scale), (png.Width, png.Height));
        for (int y = 0; y < png.Height; y++)
            for (int x = 0; x < png.Width; x++)
            {
                (byte R, byte G, byte B) expected = frame.GetPixel(x / scale, y / scale) ? PngEncoder.OnColor : PngEncoder.OffColor;
                Assert.True(expected == png.Pixel(x, y), $"pixel ({x},{y})");
            }
    }

    [Fact]
    public void A_scale_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(OledFrame.Blank, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(OledFrame.Blank, PngEncoder.MaxScale + 1));
    }

    private sealed record Decoded(int Width, int Height, byte[] Palette, byte[][] Rows)
    {
        public (byte, byte, byte) Pixel(int x, int y)
        {
            int index = (Rows[y][x >> 3] >> (7 - (x & 7))) & 1;
            return (Palette[3 * index], Palette[3 * index + 1], Palette[3 * index + 2]);
        }
    }

    private static Decoded Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int pos = 8, width = 0, height = 0;
        byte[] palette = [];
        var idat = new MemoryStream();
        var types = new List<string>();
        while (pos < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            byte[] data = png[(pos + 8)..(pos + 8 + length)];
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.True(Crc32(png.AsSpan(pos + 4, 4 + length)) == crc, $"bad CRC in {type}");
            types.Add(type);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
                    Assert.Equal(new byte[] { 1, 3, 0, 0, 0 }, data[8..]); // 1 bit, palette, deflate, no interlace
                    break;
                case "PLTE":
                    palette = data;
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            pos += 12 + length;
        }
        Assert.Equal(["IHDR", "PLTE", "IDAT", "IEND"], types);

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(inflated);
        byte[] raw = inflated.ToArray();
        int stride = (width + 7) / 8;
        Assert.Equal((stride + 1) * height, raw.Length);
        var rows = new byte[height][];
        for (int y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (stride + 1)]); // filter type None
            rows[y] = raw[(y * (stride + 1) + 1)..((y + 1) * (stride + 1))];
        }
        return new Decoded(width, height, palette, rows);
    }

    /// <summary>Bitwise CRC-32 (ISO-HDLC), independent of the encoder's.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
