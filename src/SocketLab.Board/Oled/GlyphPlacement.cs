using System.Text;
using SocketLab.Board.Fonts;

namespace SocketLab.Board.Oled;

/// <summary>
/// Where DispChar puts one character: the top-left corner of its cell (Glyph is null when the
/// font has none). Index counts UTF-16 units into the string.
/// </summary>
public readonly record struct GlyphPlacement(int Index, Rune Rune, int X, int Y, Glyph? Glyph)
{
    /// <summary>True if the whole cell is on the screen (a missing glyph never is).</summary>
    public bool FullyVisible =>
        Glyph is not null && X >= 0 && Y >= 0 && X + Glyph.Width <= OledFrame.Width && Y + Glyph.Height <= OledFrame.Height;
}
