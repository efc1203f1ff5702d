using SocketLab.Board.Fonts;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

/// <summary>The built-in font against the board's width table and worked examples (shared/board.md).</summary>
public class DefaultFontTests
{
    public static TheoryData<int, string> WidthTable => new()
    {
        { 2, " " },
        { 3, "!'(),.:;I[]fijl{|}" },
        { 4, "-/\\rt°" },
        { 5, "\"*?csvxyz" },
        { 6, "#$+0123456789<=>AEFJLSTVXY^_aeghku~" },
        { 7, "&BCDGKPRZbdnopq`" },
        { 8, "HNOQUw" },
        { 9, "MW" },
        { 10, "%@m" },
        { 11, "你好掌控板一龥，。：！（）あアンカ" },
    };

    [Theory]
    [MemberData(nameof(WidthTable))]
    public void Glyph_widths_match_the_board(int width, string chars)
    {
        foreach (char c in chars)
        {
            Assert.True(GuixFont.Default.TryGetGlyph(c, out Glyph? g), $"no glyph for '{c}'");
            Assert.True(width == g.Width, $"'{c}' is {g.Width} px, the board's is {width}");
        }
    }

    [Fact]
    public void Every_printable_ascii_character_is_in_the_table()
    {
        string all = string.Concat(WidthTable.Select(row => (string)row[1]));
        for (char c = ' '; c <= '~'; c++)
            Assert.Contains(c, all);
    }

    [Theory]
    [InlineData("hello mPython,I am TCP Client", 179)]
    [InlineData("accepting.....", 77)]
    [InlineData("192.168.0.2:5001", 99)]
    [InlineData("127.0.0.1:5001", 85)]
    [InlineData("你好，掌控板", 71)]
    public void Worked_examples_have_the_boards_widths(string text, int width)
    {
        Assert.Equal(width, new OledDisplay().DispChar(text, 0, 0).Width);
    }

    [Fact]
    public void Only_the_first_20_characters_of_the_greeting_fit_on_the_line()
    {
        TextLayout layout = TextLayout.Measure(GuixFont.Default, "hello mPython,I am TCP Client", 0, 0, autoReturn: false);

        Assert.Equal(20, layout.Placements.Count(p => p.FullyVisible));
        Assert.Equal("CP Client", string.Concat(layout.Hidden.Select(p => p.Rune.ToString())));
        Assert.Equal(20, layout.Hidden.First().Index);
    }

    [Fact]
    public void Korean_latin_1_and_cyrillic_have_glyphs()
    {
        foreach (char c in "한국어ÉéßüñЖ")
            Assert.True(GuixFont.Default.TryGetGlyph(c, out Glyph? g) && g.Width > 0, $"no glyph for '{c}'");
    }

    [Fact]
    public void Glyphs_are_drawn_not_blank()
    {
        var d = new OledDisplay();
        d.DispChar("你", 0, 0);

        int lit = Screen.LitCount(d.Pixel);
        Assert.InRange(lit, 20, 11 * 16 - 20);
    }

    [Fact]
    public void The_header_is_the_boards()
    {
        GuixFont f = GuixFont.Default;
        Assert.Equal((16, 16, 12, 6, 8), (f.Height, f.Width, f.Baseline, f.XHeight, f.CapHeight));
        Assert.Equal((0x0000, 0xFFFF), (f.FirstChar, f.LastChar));
    }

    [Fact]
    public void Glyphs_that_render_as_on_the_board_are_drawn_at_the_boards_place()
    {
        // 中 comes out pixel-identical to the board's font (Light weight, baseline on row 12).
        string[] expected =
        [
            "...........",
            "...........",
            "...........",
            ".....#.....",
            ".....#.....",
            ".#########.",
            ".#...#...#.",
            ".#...#...#.",
            ".#########.",
            ".#...#...#.",
            ".....#.....",
            ".....#.....",
            ".....#.....",
            "...........",
            "...........",
            "...........",
        ];
        Assert.True(GuixFont.Default.TryGetGlyph('中', out Glyph? g));
        string[] actual = Enumerable.Range(0, g.Height)
            .Select(y => string.Concat(Enumerable.Range(0, g.Width).Select(x => g.IsSet(x, y) ? '#' : '.'))).ToArray();
        Assert.Equal(expected, actual);
    }
}
