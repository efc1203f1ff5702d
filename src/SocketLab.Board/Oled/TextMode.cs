namespace SocketLab.Board.Oled;

/// <summary>DispChar's drawing modes, with the board's numbers.</summary>
public enum TextMode
{
    /// <summary>Lit glyph pixels on, the rest of the cell off.</summary>
    Normal = 1,

    /// <summary>The cell inverted: lit glyph pixels off, the rest on.</summary>
    Rev = 2,

    /// <summary>Only lit glyph pixels are drawn; the rest of the cell keeps its pixels.</summary>
    Trans = 3,

    /// <summary>Lit glyph pixels invert what is there; the rest of the cell keeps its pixels.</summary>
    Xor = 4,
}
