using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;

namespace SocketLab.Board.Tests;

/// <summary>The smaller text renderings for narrow terminals: 2×2 quadrants and 2×4 Braille cells.</summary>
public class CellRendererTests
{
    private static OledFrame Frame(params (int X, int Y)[] pixels)
    {
        var d = new OledDisplay();
        foreach ((int x, int y) in pixels)
            d.Pixel(x, y, true);
        return d.Show();
    }

    [Fact]
    public void Quadrant_cells_hold_two_by_two_pixels()
    {
        string[] lines = CellRenderer.RenderLines(Frame((0, 0), (3, 1), (4, 0), (5, 1), (6, 0), (7, 0), (6, 1), (7, 1), (127, 63)), CellSize.Quadrant);

        Assert.Equal(32, lines.Length);
        Assert.All(lines, l => Assert.Equal(64, l.Length));
        Assert.Equal("▘▗▚█" + new string(' ', 60), lines[0]);
        Assert.Equal(new string(' ', 63) + "▗", lines[31]);
    }

    [Fact]
    public void Braille_cells_hold_two_by_four_pixels_in_dot_order()
    {
        string[] lines = CellRenderer.RenderLines(Frame((0, 0), (0, 3), (3, 0), (3, 3), (127, 63)), CellSize.Braille);

        Assert.Equal(16, lines.Length);
        Assert.All(lines, l => Assert.Equal(64, l.Length));
        Assert.Equal("\u2841\u2888" + new string(' ', 62), lines[0]); // dots 1+7, then 4+8
        Assert.Equal(new string(' ', 63) + "\u2880", lines[15]);
    }

    [Fact]
    public void Every_size_is_boxed_with_the_title()
    {
        foreach (CellSize size in Enum.GetValues<CellSize>())
        {
            string[] lines = CellRenderer.RenderFramed(Frame(), size, "mPython OLED 128x64");
            Assert.Equal(CellRenderer.Rows(size) + 2, lines.Length);
            Assert.All(lines, l => Assert.Equal(CellRenderer.Columns(size) + 2, l.Length));
            Assert.StartsWith("┌─ mPython OLED 128x64 ─", lines[0]);
        }
    }
}
