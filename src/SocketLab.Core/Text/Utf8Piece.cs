using System.Text.Unicode;

namespace SocketLab.Core.Text;

/// <summary>What MicroPython's <c>data.decode()</c> makes of one <c>recv</c> piece on its own.</summary>
public enum Utf8PieceKind
{
    /// <summary>Decodes.</summary>
    Valid,

    /// <summary>Valid up to a character whose first bytes end the piece: the rest is in the next piece, and decode() raises.</summary>
    SplitAtEnd,

    /// <summary>Not UTF-8 at all (e.g. GBK, which MicroPython cannot decode): decode() raises.</summary>
    Invalid,
}

public static class Utf8Piece
{
    public static Utf8PieceKind Classify(ReadOnlySpan<byte> piece)
    {
        if (Utf8.IsValid(piece))
            return Utf8PieceKind.Valid;
        int start = StartOfTrailingSequence(piece);
        return start >= 0 && Utf8.IsValid(piece[..start]) && IsPrefixOfOneCharacter(piece[start..])
            ? Utf8PieceKind.SplitAtEnd
            : Utf8PieceKind.Invalid;
    }

    /// <summary>Index of the last lead byte within the final 3 bytes, or -1.</summary>
    private static int StartOfTrailingSequence(ReadOnlySpan<byte> piece)
    {
        for (int i = piece.Length - 1; i >= 0 && i >= piece.Length - 3; i--)
        {
            if ((piece[i] & 0xC0) != 0x80)
                return i;
        }
        return -1;
    }

    /// <summary>A lead byte followed by fewer continuation bytes than it announces.</summary>
    private static bool IsPrefixOfOneCharacter(ReadOnlySpan<byte> tail)
    {
        int length = tail[0] switch
        {
            >= 0xC2 and <= 0xDF => 2,
            >= 0xE0 and <= 0xEF => 3,
            >= 0xF0 and <= 0xF4 => 4,
            _ => 0,
        };
        if (tail.Length >= length)
            return false;
        for (int i = 1; i < tail.Length; i++)
        {
            if ((tail[i] & 0xC0) != 0x80)
                return false;
        }
        return true;
    }
}
