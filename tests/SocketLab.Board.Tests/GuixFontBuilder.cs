using System.Buffers.Binary;

namespace SocketLab.Board.Tests;

/// <summary>Writes a small GUIX font from ASCII-art glyphs ('#' = lit), independently of the reader.</summary>
public sealed class GuixFontBuilder(int height = 16, int width = 16)
{
    private readonly SortedDictionary<int, (int Width, string[] Rows)> _glyphs = [];

    /// <summary>A glyph of the given width; rows not given are blank.</summary>
    public GuixFontBuilder Add(char c, int glyphWidth, params string[] rows)
    {
        _glyphs[c] = (glyphWidth, rows);
        return this;
    }

    /// <summary>A glyph whose every pixel is lit.</summary>
    public GuixFontBuilder Solid(char c, int glyphWidth) =>
        Add(c, glyphWidth, Enumerable.Repeat(new string('#', glyphWidth), height).ToArray());

    public byte[] Build(int? firstChar = null, int? lastChar = null)
    {
        int first = firstChar ?? _glyphs.Keys.Min();
        int last = lastChar ?? _glyphs.Keys.Max();
        int tableSize = (last - first + 1) * 6;
        var glyphData = new List<byte>();
        var table = new byte[tableSize];
        foreach ((int cp, (int w, string[] rows)) in _glyphs)
        {
            if (cp < first || cp > last)
                continue;
            int perLine = (w + 7) / 8;
            var g = new byte[4 + perLine * height];
            BinaryPrimitives.WriteUInt16LittleEndian(g, (ushort)w);
            BinaryPrimitives.WriteUInt16LittleEndian(g.AsSpan(2), (ushort)perLine);
            for (int y = 0; y < Math.Min(rows.Length, height); y++)
                for (int x = 0; x < Math.Min(rows[y].Length, w); x++)
                    if (rows[y][x] == '#')
                        g[4 + y * perLine + x / 8] |= (byte)(0x80 >> (x % 8));
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan((cp - first) * 6), (uint)(18 + tableSize + glyphData.Count));
            BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan((cp - first) * 6 + 4), (ushort)g.Length);
            glyphData.AddRange(g);
        }
        var header = new byte[18];
        "GUIX"u8.CopyTo(header);
        ushort[] fields = [(ushort)height, (ushort)width, 12, 6, 9, (ushort)first, (ushort)last];
        for (int i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4 + 2 * i), fields[i]);
        return [.. header, .. table, .. glyphData];
    }
}
