using System.IO.Compression;
using SocketLab.Board.Fonts;

namespace SocketLab.Board.Tests;

public class GuixFontTests
{
    private static byte[] SmallFont() => new GuixFontBuilder(height: 16, width: 12)
        .Add('a', 10, "#........#", ".#......#.")
        .Add('c', 3, "###")
        .Build();

    [Fact]
    public void Reads_the_header()
    {
        GuixFont f = GuixFont.Load(SmallFont());

        Assert.Equal((16, 12, 12, 6, 9, 'a', 'c'), (f.Height, f.Width, f.Baseline, f.XHeight, f.CapHeight, (char)f.FirstChar, (char)f.LastChar));
    }

    [Fact]
    public void Reads_glyph_bits_most_significant_first_across_two_bytes_per_line()
    {
        GuixFont f = GuixFont.Load(SmallFont());

        Assert.True(f.TryGetGlyph('a', out Glyph? a));
        Assert.Equal((10, 2), (a.Width, a.BytesPerLine));
        Assert.Equal(["#........#", ".#......#.", ".........."], Screen.Region(a.IsSet, 0, 0, 10, 3));
        Assert.False(a.IsSet(10, 0)); // past the width: never lit
    }

    [Fact]
    public void An_empty_entry_or_a_character_outside_the_range_has_no_glyph()
    {
        GuixFont f = GuixFont.Load(SmallFont());

        Assert.False(f.TryGetGlyph('b', out _)); // 0/0 entry
        Assert.False(f.TryGetGlyph('d', out _)); // after last_char
        Assert.False(f.TryGetGlyph('A', out _)); // before first_char
        Assert.True(f.TryGetGlyph('c', out _));
    }

    [Fact]
    public void Reads_a_gzip_compressed_file_the_same_way()
    {
        using var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(SmallFont());

        GuixFont f = GuixFont.Load(packed.ToArray());

        Assert.True(f.TryGetGlyph('c', out Glyph? c));
        Assert.Equal(["###"], Screen.Region(c.IsSet, 0, 0, 3, 1));
    }

    [Fact]
    public void Reads_from_a_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"socketlab-font-{Guid.NewGuid():N}.guix");
        File.WriteAllBytes(path, SmallFont());
        try
        {
            Assert.True(GuixFont.LoadFile(path).TryGetGlyph('a', out _));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rejects_a_file_that_is_not_guix()
    {
        var ex = Assert.Throws<InvalidDataException>(() => GuixFont.Load("PNG not a font at all"u8));
        Assert.Contains("GUIX", ex.Message);
    }

    [Fact]
    public void Rejects_a_truncated_character_table()
    {
        byte[] font = SmallFont();

        var ex = Assert.Throws<InvalidDataException>(() => GuixFont.Load(font.AsSpan(0, 25)));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Reports_a_glyph_that_points_past_the_end_of_the_file()
    {
        byte[] font = SmallFont();
        font[18] = 0xFF; font[19] = 0xFF; // offset of 'a'

        GuixFont f = GuixFont.Load(font);

        Assert.Throws<InvalidDataException>(() => f.TryGetGlyph('a', out _));
    }
}
