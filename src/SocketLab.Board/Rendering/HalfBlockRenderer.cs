using System.Text;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Rendering;

/// <summary>
/// Draws a frame as text: each character cell holds two pixel rows with the Unicode half blocks
/// ▀ ▄ █ and space, so the 128×64 screen takes 128×32 cells and works in any UTF-8 terminal.
/// </summary>
public static class HalfBlockRenderer
{
    public const int Columns = OledFrame.Width;
    public const int Rows = OledFrame.Height / 2;

    /// <summary>The 32 lines of 128 characters, top first, without line breaks.</summary>
    public static string[] RenderLines(OledFrame frame)
    {
        var lines = new string[Rows];
        var line = new StringBuilder(Columns);
        for (int row = 0; row < Rows; row++)
        {
            line.Clear();
            for (int x = 0; x < Columns; x++)
                line.Append(Cell(frame.GetPixel(x, 2 * row), frame.GetPixel(x, 2 * row + 1)));
            lines[row] = line.ToString();
        }
        return lines;
    }

    /// <summary>The lines inside a box of ┌─┐│└┘, so the screen's edges are visible on a dark terminal.</summary>
    public static string[] RenderFramed(OledFrame frame, string? title = null)
    {
        string label = title is null ? "" : $"─ {Truncate(title, Columns - 4)} ";
        var lines = new List<string>(Rows + 2) { "┌" + label + new string('─', Columns - label.Length) + "┐" };
        foreach (string l in RenderLines(frame))
            lines.Add("│" + l + "│");
        lines.Add("└" + new string('─', Columns) + "┘");
        return [.. lines];
    }

    private static char Cell(bool upper, bool lower) => (upper, lower) switch
    {
        (true, true) => '█',
        (true, false) => '▀',
        (false, true) => '▄',
        _ => ' ',
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
