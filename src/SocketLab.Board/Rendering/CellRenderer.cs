using System.Text;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Rendering;

/// <summary>How many pixels one character cell of a text rendering holds.</summary>
public enum CellSize
{
    /// <summary>1×2 pixels (▀ ▄ █): the screen at full size, 128×32 cells.</summary>
    HalfBlock,

    /// <summary>2×2 pixels (▘ ▝ ▖ ▗ and their mixes): half the width, 64×32 cells.</summary>
    Quadrant,

    /// <summary>2×4 pixels (Braille dots): half the width and height, 64×16 cells.</summary>
    Braille,
}

/// <summary>Draws a frame as text in any UTF-8 terminal, at the cell size the terminal has room for.</summary>
public static class CellRenderer
{
    private const string Quadrants = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█";

    public static int Columns(CellSize size) => size == CellSize.HalfBlock ? OledFrame.Width : OledFrame.Width / 2;

    public static int Rows(CellSize size) => size == CellSize.Braille ? OledFrame.Height / 4 : OledFrame.Height / 2;

    /// <summary>The lines of cells, top first, without line breaks.</summary>
    public static string[] RenderLines(OledFrame frame, CellSize size)
    {
        int columns = Columns(size), rows = Rows(size);
        int cellWidth = OledFrame.Width / columns, cellHeight = OledFrame.Height / rows;
        var lines = new string[rows];
        var line = new StringBuilder(columns);
        for (int row = 0; row < rows; row++)
        {
            line.Clear();
            for (int column = 0; column < columns; column++)
            {
                int x = column * cellWidth, y = row * cellHeight;
                line.Append(size switch
                {
                    CellSize.HalfBlock => Quadrants[(frame.GetPixel(x, y) ? 3 : 0) | (frame.GetPixel(x, y + 1) ? 12 : 0)],
                    CellSize.Quadrant => Quadrants[Bit(frame, x, y, 1) | Bit(frame, x + 1, y, 2) | Bit(frame, x, y + 1, 4) | Bit(frame, x + 1, y + 1, 8)],
                    _ => Braille(frame, x, y),
                });
            }
            lines[row] = line.ToString();
        }
        return lines;
    }

    /// <summary>The lines inside a box of ┌─┐│└┘, so the screen's edges are visible on a dark terminal.</summary>
    public static string[] RenderFramed(OledFrame frame, CellSize size, string? title = null)
    {
        int columns = Columns(size);
        string label = title is null ? "" : $"─ {(title.Length <= columns - 4 ? title : title[..(columns - 4)])} ";
        var lines = new List<string>(Rows(size) + 2) { "┌" + label + new string('─', columns - label.Length) + "┐" };
        foreach (string l in RenderLines(frame, size))
            lines.Add("│" + l + "│");
        lines.Add("└" + new string('─', columns) + "┘");
        return [.. lines];
    }

    private static int Bit(OledFrame frame, int x, int y, int bit) => frame.GetPixel(x, y) ? bit : 0;

    // Braille dots 1-2-3-7 run down the left column, 4-5-6-8 down the right one.
    private static char Braille(OledFrame frame, int x, int y)
    {
        int dots = Bit(frame, x, y, 0x01) | Bit(frame, x, y + 1, 0x02) | Bit(frame, x, y + 2, 0x04) | Bit(frame, x, y + 3, 0x40)
                 | Bit(frame, x + 1, y, 0x08) | Bit(frame, x + 1, y + 1, 0x10) | Bit(frame, x + 1, y + 2, 0x20) | Bit(frame, x + 1, y + 3, 0x80);
        return dots == 0 ? ' ' : (char)(0x2800 + dots);
    }
}
