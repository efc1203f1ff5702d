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
    public static ReadOnlySpan<byte> Bytes(this LineEnding eol) => eol switch
    {
        LineEnding.Cr => "\r"u8,
        LineEnding.Lf => "\n"u8,
        LineEnding.CrLf => "\r\n"u8,
        _ => [],
    };
}
