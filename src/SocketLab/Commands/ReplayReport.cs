using System.Text;
using SocketLab.Core.Replay;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Commands;

/// <summary>How <c>socketlab replay</c> words a result: a match, or the first difference with both streams' bytes from there.</summary>
internal static class ReplayReport
{
    /// <summary>How a report names the compared stream and the end that sent it.</summary>
    public sealed record Wording(string Stream, string Chunk, string Peer);

    /// <summary><c>--to</c>: the server's replies are compared.</summary>
    public static readonly Wording Replies = new("replies", "reply", "server");

    /// <summary><c>--listen</c>: what the client sends is compared.</summary>
    public static readonly Wording ClientBytes = new("the client's bytes", "client chunk", "client");

    /// <summary>
    /// The report's lines: the verdict, then (when they differ) "expected:", "received:" and what became of the
    /// connection, each without indentation; <see cref="Print"/> indents them, a one-line log joins them.
    /// </summary>
    public static List<string> Lines(ReplayPlan plan, ReplayResult result, Encoding encoding, Wording words)
    {
        if (result.Difference is not { } d)
            return [$"{words.Stream} match: {result.ReceivedLength} bytes, as recorded"];
        string where = result.Chunk is { } hit
            ? $" (in recorded {words.Chunk} #{hit.Index + 1} of {plan.ReplyCount}, at {hit.Time.ToLocalTime():HH:mm:ss.fff})"
            : "";
        var lines = new List<string>
        {
            d.Kind switch
            {
                DifferenceKind.Differs => $"{words.Stream} differ at byte {d.Offset} of {d.ExpectedLength}{where}",
                DifferenceKind.Missing => $"{words.Stream} stop short: got {d.ActualLength} of {d.ExpectedLength} recorded bytes{where}",
                _ => $"{words.Stream} go on: got {d.ActualLength} bytes, {d.ActualLength - d.ExpectedLength} more than the {d.ExpectedLength} recorded",
            },
            $"expected: {Excerpt(result.ExpectedExcerpt, d.Offset, d.ExpectedLength, encoding)}",
            $"received: {Excerpt(result.ReceivedExcerpt, d.Offset, d.ActualLength, encoding)}",
        };
        if (result.Error is not null)
            lines.Add($"connection: {result.Error}");
        else if (result.PeerClosed && d.Kind == DifferenceKind.Missing)
            lines.Add($"connection: the {words.Peer} closed it");
        return lines;
    }

    /// <summary>The report on stdout: the verdict, and the details indented below it.</summary>
    public static void Print(List<string> lines)
    {
        Console.WriteLine(lines[0]);
        foreach (string detail in lines.Skip(1))
            Console.WriteLine($"  {detail}");
    }

    /// <summary>The bytes of a stream of <paramref name="length"/> bytes from <paramref name="offset"/> (up to 32), as text and as hex.</summary>
    private static string Excerpt(byte[] part, long offset, long length, Encoding encoding)
    {
        if (part.Length == 0)
            return "(end of stream)";
        var decoder = new StreamTextDecoder(encoding);
        string more = offset + part.Length < length ? "…" : "";
        return $"\"{VisibleText.OneLine(decoder.Decode(part) + decoder.Flush())}\"{more} ({HexDump.Pairs(part)})";
    }
}
