namespace SocketLab.Board.Fonts;

/// <summary>One character's bitmap: <see cref="Width"/> columns by the font's height, rows most significant bit first.</summary>
public sealed class Glyph
{
    private readonly ReadOnlyMemory<byte> _rows;

    public Glyph(int width, int bytesPerLine, int height, ReadOnlyMemory<byte> rows)
    {
        if (width < 0 || bytesPerLine < 0 || height < 0)
            throw new ArgumentOutOfRangeException(nameof(width), "glyph sizes must not be negative");
        if (bytesPerLine * 8 < width)
            throw new ArgumentException($"{bytesPerLine} bytes per line cannot hold {width} columns", nameof(bytesPerLine));
        if (rows.Length < bytesPerLine * height)
            throw new ArgumentException($"glyph needs {bytesPerLine * height} bytes, got {rows.Length}", nameof(rows));
        Width = width;
        BytesPerLine = bytesPerLine;
        Height = height;
        _rows = rows;
    }

    public int Width { get; }
    public int BytesPerLine { get; }
    public int Height { get; }

    /// <summary>True if the pixel at column <paramref name="x"/>, row <paramref name="y"/> is lit.</summary>
    public bool IsSet(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            return false;
        return (_rows.Span[y * BytesPerLine + (x >> 3)] & (0x80 >> (x & 7))) != 0;
    }
}
