using System.Text;
using SocketLab.Board.Fonts;

namespace SocketLab.Board.Oled;

/// <summary>
/// Where DispChar places each character and what it returns, computed without drawing: the
/// cursor moves by width + 1; with auto_return a glyph that would cross x = 128 starts a new
/// 16-px line (back to the top below y = 48); a missing glyph moves the cursor 128 px (the
/// font's width with auto_return).
/// </summary>
public sealed class TextLayout
{
    private TextLayout(IReadOnlyList<GlyphPlacement> placements, int width, int nextX, int nextY)
    {
        Placements = placements;
        Width = width;
        NextX = nextX;
        NextY = nextY;
    }

    public IReadOnlyList<GlyphPlacement> Placements { get; }

    /// <summary>DispChar's total_width: sum(width + 1) − 1, plus the rest of each line skipped by auto_return.</summary>
    public int Width { get; }

    /// <summary>DispChar's next_x: the column after the last glyph (the board returns its cursor − 1).</summary>
    public int NextX { get; }

    /// <summary>DispChar's y: the line the last glyph went to.</summary>
    public int NextY { get; }

    /// <summary>Characters that are not wholly on the screen (clipped, or with no glyph), in order.</summary>
    public IEnumerable<GlyphPlacement> Hidden => Placements.Where(p => !p.FullyVisible);

    public static TextLayout Measure(GuixFont font, string text, int x, int y, bool autoReturn)
    {
        var placements = new List<GlyphPlacement>();
        int total = 0;
        int index = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (!font.TryGetGlyph(rune.Value, out Glyph? glyph))
            {
                placements.Add(new GlyphPlacement(index, rune, x, y, null));
                x += autoReturn ? font.Width : OledFrame.Width;
                index += rune.Utf16SequenceLength;
                continue;
            }
            if (autoReturn && x > OledFrame.Width - glyph.Width)
            {
                total += OledFrame.Width - x;
                x = 0;
                y += font.Height;
                if (y > OledFrame.Height - font.Height)
                    y = 0;
            }
            placements.Add(new GlyphPlacement(index, rune, x, y, glyph));
            x += glyph.Width + 1;
            total += glyph.Width + 1;
            index += rune.Utf16SequenceLength;
        }
        return new TextLayout(placements, total - 1, x - 1, y);
    }
}
