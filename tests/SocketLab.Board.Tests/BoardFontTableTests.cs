using System.Globalization;
using SocketLab.Board.Fonts;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

/// <summary>
/// The built-in font against board-font-widths.tsv, the list of every glyph in the board's own
/// font (Noto_Sans_CJK_SC_Light16.bin) with its width: same glyphs, same widths, nothing more.
/// </summary>
public class BoardFontTableTests
{
    private static readonly Lazy<IReadOnlyList<(int First, int Last, int Width)>> s_rows = new(ReadTable);

    [Fact]
    public void The_table_is_the_boards_42181_glyphs_in_459_ranges()
    {
        Assert.Equal(459, s_rows.Value.Count);
        Assert.Equal(42_181, s_rows.Value.Sum(r => r.Last - r.First + 1));
    }

    [Fact]
    public void Every_row_of_the_table_has_its_glyphs_at_its_width()
    {
        var wrong = new List<string>();
        foreach ((int first, int last, int width) in s_rows.Value)
        {
            for (int cp = first; cp <= last; cp++)
            {
                if (!GuixFont.Default.TryGetGlyph(cp, out Glyph? glyph))
                    wrong.Add($"U+{cp:X4} has no glyph (the board's is {width} px)");
                else if (glyph.Width != width)
                    wrong.Add($"U+{cp:X4} is {glyph.Width} px, the board's is {width}");
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} glyphs differ, e.g. {string.Join("; ", wrong.Take(5))}");
    }

    [Fact]
    public void No_code_point_outside_the_table_has_a_glyph()
    {
        var inTable = new HashSet<int>(s_rows.Value.SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)));
        var extra = new List<int>();
        for (int cp = 0; cp <= 0xFFFF; cp++)
        {
            if (!inTable.Contains(cp) && GuixFont.Default.TryGetGlyph(cp, out _))
                extra.Add(cp);
        }
        Assert.True(extra.Count == 0, $"{extra.Count} glyphs the board lacks, e.g. {string.Join(" ", extra.Take(5).Select(cp => $"U+{cp:X4}"))}");
    }

    [Theory]
    [InlineData(0x00B7, 6)]   // · (Regular's is 11)
    [InlineData(0x014D, 7)]   // ō
    [InlineData(0x00F3, 7)]   // ó
    [InlineData(0x01D2, 7)]   // ǒ
    [InlineData(0x00F2, 7)]   // ò
    [InlineData(0xFF76, 6)]   // halfwidth katakana ｶ
    [InlineData(0x001B, 2)]   // ESC: a blank glyph, as on the board
    [InlineData(0x0000, 2)]
    public void Glyphs_whose_widths_differ_from_regular_have_the_boards(int codePoint, int width)
    {
        Assert.True(GuixFont.Default.TryGetGlyph(codePoint, out Glyph? glyph), $"no glyph for U+{codePoint:X4}");
        Assert.Equal(width, glyph.Width);
    }

    [Theory]
    [InlineData(0x200B)]   // zero-width space
    [InlineData(0x200F)]
    [InlineData(0x202E)]   // bidi override
    [InlineData(0x2060)]   // word joiner
    [InlineData(0x206F)]
    public void Zero_width_and_bidi_controls_have_no_glyph_as_on_the_board(int codePoint)
    {
        Assert.False(GuixFont.Default.TryGetGlyph(codePoint, out _));
    }

    [Fact]
    public void Symbols_ext_a_and_controls_are_drawn_as_on_the_board()
    {
        // 25℃★€5√2≤3♪ was cut after 25℃ by the old font; a line with ESC in it stopped there.
        TextLayout symbols = TextLayout.Measure(GuixFont.Default, "25℃★€5√2≤3♪", 0, 0, autoReturn: false);
        TextLayout escape = TextLayout.Measure(GuixFont.Default, "a\u001Bb", 0, 0, autoReturn: false);
        TextLayout extA = TextLayout.Measure(GuixFont.Default, "\u3400\u4DB5", 0, 0, autoReturn: false);

        Assert.All(symbols.Placements, p => Assert.NotNull(p.Glyph));
        Assert.Equal(3, escape.Placements.Count(p => p.FullyVisible));
        Assert.All(extA.Placements, p => Assert.Equal(11, p.Glyph?.Width));
    }

    private static List<(int, int, int)> ReadTable()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "board-font-widths.tsv");
        var rows = new List<(int, int, int)>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0)
                continue;
            string[] cells = line.Split('\t');
            rows.Add((CodePoint(cells[0]), CodePoint(cells[1]), int.Parse(cells[2], CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    private static int CodePoint(string cell) => int.Parse(cell.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
