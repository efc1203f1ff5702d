namespace SocketLab.Core.Replay;

public enum DifferenceKind
{
    /// <summary>Both streams have a byte at <see cref="StreamDifference.Offset"/>, and they differ.</summary>
    Differs,
    /// <summary>The actual stream ended before the expected one.</summary>
    Missing,
    /// <summary>The actual stream goes on past the expected one.</summary>
    Extra,
}

/// <summary>
/// Where two byte streams first part ways. Streams are compared as wholes, so the same bytes
/// cut into different TCP chunks compare equal.
/// </summary>
public sealed record StreamDifference(DifferenceKind Kind, long Offset, long ExpectedLength, long ActualLength)
{
    public static StreamDifference? Compare(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = expected.CommonPrefixLength(actual);
        if (common == expected.Length && common == actual.Length)
            return null;
        DifferenceKind kind = common == actual.Length ? DifferenceKind.Missing
            : common == expected.Length ? DifferenceKind.Extra
            : DifferenceKind.Differs;
        return new StreamDifference(kind, common, expected.Length, actual.Length);
    }
}
