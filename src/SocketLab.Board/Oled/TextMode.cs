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

    /// <summary>
    /// Meant to invert what is under lit glyph pixels; the firmware reads the wrong bit (row 7 − y % 8 of
    /// the same page), and the model does the same. The rest of the cell keeps its pixels.
    /// </summary>
    Xor = 4,
}
