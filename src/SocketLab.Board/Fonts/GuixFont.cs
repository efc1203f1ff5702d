using System.Buffers.Binary;
using System.IO.Compression;

namespace SocketLab.Board.Fonts;

/// <summary>
/// A font in the board's GUIX format: "GUIX", seven little-endian u16 (height, width, baseline,
/// x_height, Y_height, first_char, last_char), then from byte 18 one 6-byte entry per character
/// (u32 glyph offset from the file start, u16 length; 0/0 = no glyph). A glyph is u16 width,
/// u16 bytes_per_line, then height rows of bytes_per_line bytes, most significant bit first.
/// Glyphs are read on demand; the file may be gzip-compressed.
/// </summary>
public sealed class GuixFont
{
    private const int HeaderSize = 18;
    private const int EntrySize = 6;
    private const string DefaultResource = "SocketLab.Board.DefaultFont.guix.gz";
    private static readonly Lazy<GuixFont> s_default = new(LoadDefault);

    private readonly byte[] _data;

    private GuixFont(byte[] data)
    {
        _data = data;
        ReadOnlySpan<byte> h = data;
        Height = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
        Width = BinaryPrimitives.ReadUInt16LittleEndian(h[6..]);
        Baseline = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
        XHeight = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
        CapHeight = BinaryPrimitives.ReadUInt16LittleEndian(h[12..]);
        FirstChar = BinaryPrimitives.ReadUInt16LittleEndian(h[14..]);
        LastChar = BinaryPrimitives.ReadUInt16LittleEndian(h[16..]);
    }

    /// <summary>SocketLab's built-in font: Noto Sans CJK SC at the board's widths (see tools/fontgen).</summary>
    public static GuixFont Default => s_default.Value;

    /// <summary>Rows per glyph (16 on the board); also the line advance with auto_return.</summary>
    public int Height { get; }

    /// <summary>The header's width: how far a missing glyph moves the cursor with auto_return.</summary>
    public int Width { get; }

    public int Baseline { get; }
    public int XHeight { get; }
    public int CapHeight { get; }
    public int FirstChar { get; }
    public int LastChar { get; }

    /// <summary>Reads a font; throws <see cref="InvalidDataException"/> with a one-line reason if it is not a GUIX font.</summary>
    public static GuixFont Load(ReadOnlySpan<byte> file)
    {
        byte[] data = file.Length >= 2 && file[0] == 0x1f && file[1] == 0x8b ? Gunzip(file.ToArray()) : file.ToArray();
        Validate(data);
        return new GuixFont(data);
    }

    public static GuixFont Load(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static GuixFont LoadFile(string path) => Load(File.ReadAllBytes(path));

    /// <summary>The glyph for a Unicode code point, or false if the font has none (the board then skips 128 px).</summary>
    public bool TryGetGlyph(int codePoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Glyph? glyph)
    {
        glyph = null;
        if (codePoint < FirstChar || codePoint > LastChar)
            return false;
        ReadOnlySpan<byte> entry = _data.AsSpan(HeaderSize + (codePoint - FirstChar) * EntrySize, EntrySize);
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        int length = BinaryPrimitives.ReadUInt16LittleEndian(entry[4..]);
        if (offset == 0 || length == 0)
            return false;
        if (length < 4 || offset > (uint)(_data.Length - length))
            throw new InvalidDataException($"font: glyph of U+{codePoint:X4} lies outside the file");
        var bytes = new ReadOnlyMemory<byte>(_data, (int)offset, length);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Span);
        int perLine = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Span[2..]);
        if (perLine * 8 < width || 4 + perLine * Height > length)
            throw new InvalidDataException($"font: glyph of U+{codePoint:X4} is truncated ({length} bytes for {width} px x {Height} rows)");
        glyph = new Glyph(width, perLine, Height, bytes[4..]);
        return true;
    }

    private static void Validate(byte[] data)
    {
        if (data.Length < HeaderSize || !data.AsSpan(0, 4).SequenceEqual("GUIX"u8))
            throw new InvalidDataException("not a GUIX font (the file must start with 'GUIX')");
        int height = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4));
        int first = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(14));
        int last = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(16));
        if (height is 0 or > 64)
            throw new InvalidDataException($"GUIX font height must be 1-64 px, got {height}");
        if (last < first)
            throw new InvalidDataException($"GUIX font: last_char U+{last:X4} is before first_char U+{first:X4}");
        long tableEnd = HeaderSize + (long)(last - first + 1) * EntrySize;
        if (tableEnd > data.Length)
            throw new InvalidDataException($"GUIX font is truncated: {data.Length} bytes, its character table needs {tableEnd}");
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"font file looks gzip-compressed but is damaged: {ex.Message}", ex);
        }
    }

    private static GuixFont LoadDefault()
    {
        using Stream stream = typeof(GuixFont).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded font {DefaultResource} is missing from the build");
        return Load(stream);
    }
}
