using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;

namespace SocketLab.Board.Tests;

public class HalfBlockRendererTests
{
    private static OledFrame Pattern()
    {
        var d = new OledDisplay();
        d.Pixel(0, 0, true);    // upper half of cell (0,0)
        d.Pixel(1, 1, true);    // lower half of cell (1,0)
        d.Pixel(2, 0, true);    // both halves of cell (2,0)
        d.Pixel(2, 1, true);
        d.Pixel(127, 63, true); // lower half of the last cell
        return d.Show();
    }

    [Fact]
    public void Each_cell_shows_two_pixel_rows_with_half_blocks()
    {
        string[] lines = HalfBlockRenderer.RenderLines(Pattern());

        Assert.Equal(32, lines.Length);
        Assert.All(lines, l => Assert.Equal(128, l.Length));
        Assert.Equal("▀▄█" + new string(' ', 125), lines[0]);
        Assert.Equal(new string(' ', 127) + "▄", lines[31]);
        Assert.All(lines[1..31], l => Assert.Equal(new string(' ', 128), l));
    }

    [Fact]
    public void The_framed_view_boxes_the_screen_and_shows_a_title()
    {
        string[] lines = HalfBlockRenderer.RenderFramed(Pattern(), "127.0.0.1:5001");

        Assert.Equal(34, lines.Length);
        Assert.All(lines, l => Assert.Equal(130, l.Length));
        Assert.StartsWith("┌─ 127.0.0.1:5001 ─", lines[0]);
        Assert.EndsWith("┐", lines[0]);
        Assert.Equal("│▀▄█", lines[1][..4]);
        Assert.Equal("└" + new string('─', 128) + "┘", lines[33]);
    }
}
