using SocketLab.Board.Fonts;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

/// <summary>DispChar against hand-worked pictures, with a tiny font whose glyphs are known exactly.</summary>
public class DispCharTests
{
    // A: 3 px, every pixel lit. B: 2 px, a diagonal in the top two rows. C: 1 px, blank. '?' has no glyph.
    private static readonly GuixFont TestFont = GuixFont.Load(new GuixFontBuilder()
        .Solid('A', 3)
        .Add('B', 2, "#.", ".#")
        .Add('C', 1)
        .Build(firstChar: ' ', lastChar: '~'));

    private static OledDisplay NewDisplay() => new(TestFont);

    [Fact]
    public void Normal_mode_draws_the_glyph_and_clears_the_rest_of_its_cell_only()
    {
        OledDisplay d = NewDisplay();
        d.Fill(true);

        DispCharResult r = d.DispChar("B", 0, 0);

        Assert.Equal(Screen.Rows("..#", "#.#", ".##"), Screen.Region(d, 0, 0, 3, 16));
        Assert.True(d.Pixel(0, 16)); // below the cell: untouched
        Assert.Equal(new DispCharResult(2, 2, 0), r);
    }

    [Fact]
    public void The_one_pixel_gaps_keep_their_old_pixels()
    {
        OledDisplay d = NewDisplay();
        d.Fill(true);

        DispCharResult r = d.DispChar("CC", 0, 0);

        Assert.Equal(Screen.Rows(".#.##"), Screen.Region(d, 0, 0, 5, 16));
        Assert.Equal(3, r.Width);
        Assert.Equal(3, r.NextX);
    }

    [Fact]
    public void Pixels_past_the_edges_are_clipped_without_wrapping()
    {
        OledDisplay d = NewDisplay();

        DispCharResult r = d.DispChar("AA", 122, 60);

        Assert.Equal(["###.##", "###.##", "###.##", "###.##"], Screen.Region(d, 122, 60, 6, 4));
        Assert.Equal(5 * 4, Screen.LitCount(d.Pixel));
        Assert.Equal(new DispCharResult(7, 129, 60), r);
    }

    [Fact]
    public void A_negative_x_clips_the_left_of_the_glyph()
    {
        OledDisplay d = NewDisplay();

        d.DispChar("A", -2, 0);

        Assert.Equal(Screen.Rows("#."), Screen.Region(d, 0, 0, 2, 16));
        Assert.Equal(16, Screen.LitCount(d.Pixel));
    }

    [Fact]
    public void A_newline_is_not_a_line_break_without_auto_return()
    {
        OledDisplay d = NewDisplay();

        d.DispChar("A\nA", 0, 0); // '\n' has no glyph in this font: the second A goes 128 px right, off screen

        Assert.Equal(16 * 3, Screen.LitCount(d.Pixel));
    }

    [Fact]
    public void Auto_return_moves_a_glyph_that_would_cross_the_right_edge_to_the_next_line()
    {
        OledDisplay d = NewDisplay();

        // The first A fits at 122 (122 <= 128 - 3); the second would start at 126 > 125, so it goes to (0,16).
        DispCharResult r = d.DispChar("AA", 122, 0, autoReturn: true);

        Assert.Equal(Screen.Rows("###..."), Screen.Region(d, 122, 0, 6, 16));
        Assert.Equal(Screen.Rows("###."), Screen.Region(d, 0, 16, 4, 16));
        Assert.Equal(16 * 6, Screen.LitCount(d.Pixel));
        // The board counts the skipped end of the line in the width: 4 + (128 - 126) + 4 - 1.
        Assert.Equal(new DispCharResult(9, 3, 16), r);
    }

    [Fact]
    public void Auto_return_allows_a_glyph_ending_exactly_at_the_right_edge()
    {
        OledDisplay d = NewDisplay();

        d.DispChar("A", 125, 0, autoReturn: true);

        Assert.Equal(Screen.Rows("###"), Screen.Region(d, 125, 0, 3, 16));
        Assert.Equal(16 * 3, Screen.LitCount(d.Pixel));
    }

    [Theory]
    [InlineData(48)]
    [InlineData(40)] // the next line would start at 56 > 48: back to the top as well
    public void Auto_return_wraps_back_to_the_top_below_the_last_line(int y)
    {
        OledDisplay d = NewDisplay();

        DispCharResult r = d.DispChar("A", 126, y, autoReturn: true);

        Assert.Equal(Screen.Rows("###."), Screen.Region(d, 0, 0, 4, 16));
        Assert.Equal(16 * 3, Screen.LitCount(d.Pixel));
        Assert.Equal(new DispCharResult(5, 3, 0), r);
    }

    [Theory]
    [InlineData(TextMode.Normal, new[] { "#.", ".#", ".." })]
    [InlineData(TextMode.Rev, new[] { ".#", "#.", "##" })]
    [InlineData(TextMode.Trans, new[] { "#.", "##", "#." })]
    [InlineData(TextMode.Xor, new[] { "..", "##", "#." })]
    public void Each_mode_combines_glyph_and_background_as_the_board_does(TextMode mode, string[] expected)
    {
        OledDisplay d = NewDisplay();
        d.FillRect(0, 0, 1, 16, true); // background: column 0 lit, column 1 dark

        d.DispChar("B", 0, 0, mode);

        Assert.Equal(Screen.Rows(expected[2], expected[0], expected[1]), Screen.Region(d, 0, 0, 2, 16));
    }

    [Fact]
    public void Xor_reads_the_mirrored_bit_of_the_page_as_the_firmware_does()
    {
        OledDisplay d = NewDisplay();
        d.Pixel(0, 0, true);   // under B's pixel (0,0); the firmware reads row 7 instead, which is dark
        d.Pixel(1, 6, true);   // the firmware's row for B's pixel (1,1): it reads lit and clears (1,1)
        d.Pixel(1, 1, true);

        d.DispChar("B", 0, 0, TextMode.Xor);

        Assert.True(d.Pixel(0, 0));   // a true xor would have turned it off
        Assert.False(d.Pixel(1, 1));
        Assert.True(d.Pixel(1, 6));   // what was read is left alone
    }

    [Fact]
    public void Firmware_2_1_always_wraps_and_skips_16_px_for_a_missing_glyph()
    {
        var d = new OledDisplay(TestFont, BoardFirmware.V2_1);

        DispCharResult r = d.DispChar("A", 126, 48);
        TextLayout missing = d.Layout("?A", 0, 0);

        Assert.Equal(Screen.Rows("###."), Screen.Region(d, 0, 0, 4, 16)); // wrapped to the top, as with auto_return
        Assert.Equal(new DispCharResult(5, 3, 0), r);
        Assert.Equal(16, missing.Placements[1].X);
    }

    [Fact]
    public void Firmware_2_2_and_later_clip_without_auto_return()
    {
        foreach (BoardFirmware firmware in new[] { BoardFirmware.V2_2, BoardFirmware.V2_3, BoardFirmware.Latest })
        {
            var d = new OledDisplay(TestFont, firmware);

            DispCharResult r = d.DispChar("A", 126, 48);

            Assert.Equal(2 * 16, Screen.LitCount(d.Pixel)); // 2 of its 3 columns, at the bottom right
            Assert.Equal(new DispCharResult(3, 129, 48), r);
            Assert.Equal(128, d.Layout("?A", 0, 0).Placements[1].X);
        }
    }

    [Theory]
    [InlineData("2.1", "你好", "你好")]
    [InlineData("2.2", "你好", "你好")]
    [InlineData("2.3", "你好", " 你好")]
    [InlineData("latest", "你好", " 你好")]
    [InlineData("latest", "hello 你好", "hello 你好")]
    [InlineData("latest", "，你好", "，你好")] // full-width punctuation is not U+4E00–9FFF
    public void Firmware_2_3_prints_a_space_before_a_line_that_starts_with_a_cjk_ideograph(string name, string text, string printed)
    {
        Assert.True(BoardFirmware.TryParse(name, out BoardFirmware? firmware));
        Assert.Equal(printed, firmware.PrintedLine(text));
    }

    [Fact]
    public void A_character_without_a_glyph_moves_the_cursor_128_px_and_hides_the_rest_of_the_line()
    {
        OledDisplay d = NewDisplay();

        DispCharResult r = d.DispChar("A?A", 0, 0);

        Assert.Equal(16 * 3, Screen.LitCount(d.Pixel)); // only the first A
        Assert.Equal(7, r.Width);                        // the missing glyph adds nothing to the width
        Assert.Equal(4 + 128 + 4 - 1, r.NextX);
        TextLayout layout = TextLayout.Measure(TestFont, "A?A", 0, 0, autoReturn: false);
        Assert.Equal([1, 2], layout.Hidden.Select(p => p.Index));
    }

    [Fact]
    public void With_auto_return_a_missing_glyph_moves_the_cursor_by_the_font_width()
    {
        OledDisplay d = NewDisplay();

        d.DispChar("A?A", 0, 0, autoReturn: true);

        Assert.Equal(Screen.Rows("###." + new string('.', 16) + "###."), Screen.Region(d, 0, 0, 24, 16));
    }

    [Fact]
    public void Characters_outside_the_basic_plane_are_one_character_not_two()
    {
        TextLayout layout = TextLayout.Measure(TestFont, "A\U0001F600A", 0, 0, autoReturn: false);

        Assert.Equal(3, layout.Placements.Count);
        Assert.Equal(3, layout.Placements[2].Index);
    }

    [Fact]
    public void The_default_font_has_blank_two_pixel_glyphs_for_newline_return_and_tab()
    {
        var d = new OledDisplay();
        d.Fill(true);

        DispCharResult r = d.DispChar("\n\r\t", 0, 0);

        // Three blank 2-px cells cleared, the gaps kept: "..#..#..#".
        Assert.Equal(Screen.Rows("..#..#..##"), Screen.Region(d, 0, 0, 10, 16));
        Assert.Equal(8, r.Width);
        Assert.True(d.Pixel(0, 16)); // no line break
    }
}
