namespace SocketLab.Core.Text;

/// <summary>What is appended to each line a user sends.</summary>
public enum LineEnding
{
    None,
    Cr,
    Lf,
    CrLf,
}

public static class LineEndings
{
    /// <summary>"none" (or empty), "cr", "lf" or "crlf", in any case, as the page and command lists write them.</summary>
    public static bool TryParse(string text, out LineEnding eol)
    {
        switch (text.ToLowerInvariant())
        {
            case "" or "none": eol = LineEnding.None; return true;
            case "cr": eol = LineEnding.Cr; return true;
            case "lf": eol = LineEnding.Lf; return true;
            case "crlf": eol = LineEnding.CrLf; return true;
            default: eol = LineEnding.None; return false;
        }
    }

    public static ReadOnlySpan<byte> Bytes(this LineEnding eol) => eol switch
    {
        LineEnding.Cr => "\r"u8,
        LineEnding.Lf => "\n"u8,
        LineEnding.CrLf => "\r\n"u8,
        _ => [],
    };
}
