using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Replay;
using SocketLab.Core.Tcp;
using SocketLab.Core.Text;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab replay FILE --to HOST:PORT</c>: send a recorded client's bytes again and compare the replies.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        Argument<string> file = new("file") { Description = "A transcript written with --record (JSONL)" };
        Option<HostPort?> to = CommonOptions.Target("--to", "Server to replay against, HOST:PORT");
        Option<double> speed = new("--speed")
        {
            Description = "Replay speed: 1 = recorded pace, 2 = twice as fast, 0 = no pauses [default: 1]",
            DefaultValueFactory = _ => 1.0,
            CustomParser = r => CommonOptions.Parse(r, text => (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && double.IsFinite(v), v),
                text => $"--speed takes a number of at least 0 such as 0.5, 1 or 10, got '{text}'", 1.0),
        };
        Option<long?> connection = new("--connection", "-c")
        {
            Description = "Which recorded connection to replay (the 'conn' id); needed when the file holds several",
            CustomParser = r => CommonOptions.Parse<long?>(r, text => (long.TryParse(text.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out long id), id),
                text => $"--connection takes a connection number such as 3, got '{text.TrimStart('#')}'", null),
        };
        Option<TimeSpan> timeout = CommonOptions.Duration("--timeout", "Longest wait for the replies recorded before each send, and after the last [default: 5s]", TimeSpan.FromSeconds(5));
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long [default: 10s]", TimeSpan.FromSeconds(10));
        Option<string> encoding = CommonOptions.Encoding();

        var command = new Command("replay", "Replay the sends of a recorded TCP client session against a server and compare its replies byte for byte (exit 13 when they differ)")
        {
            file, to, speed, connection, timeout, connectTimeout, encoding,
        };
        CommonOptions.Validate(command, r =>
        {
            foreach (Option<TimeSpan> o in new[] { timeout, connectTimeout })
            {
                if (r.GetValue(o) > ReplayPlan.MaxPause)
                    r.AddError($"{o.Name} takes at most {ReplayPlan.MaxPause.TotalDays:0} days, got '{r.GetResult(o)?.Tokens.FirstOrDefault()?.Value}'");
            }
        });
        command.SetAction(async (r, ct) =>
        {
            string path = r.GetValue(file)!;
            ReplayPlan plan;
            try
            {
                // Streamed twice (connections, then the chosen one's bytes): a huge file is never held in memory.
                plan = ReplayPlan.FromFile(path, r.GetValue(connection), r.GetValue(speed));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TranscriptFormatException)
            {
                Console.Error.WriteLine($"socketlab replay: cannot read '{path}': {ex.Message}");
                return ExitCodes.FileError;
            }
            catch (ReplayException ex) when (ex.Problem == ReplayProblem.PauseTooLong)
            {
                Console.Error.WriteLine($"socketlab replay: cannot read '{path}': {ex.Message} (--speed 0 sends without pauses)");
                return ExitCodes.FileError;
            }
            catch (ReplayException ex)
            {
                string how = ex.Problem == ReplayProblem.SeveralConnections ? " with --connection ID" : "";
                Console.Error.WriteLine($"socketlab replay: {path}: {ex.Message}{how}");
                return ExitCodes.Usage;
            }
            HostPort target = r.GetValue(to)!.Value;
            return await RunAsync(plan, target, r.GetValue(speed), r.GetValue(timeout), r.GetValue(connectTimeout), TextEncodings.Get(r.GetValue(encoding)!)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(ReplayPlan plan, HostPort target, double speed, TimeSpan timeout, TimeSpan connectTimeout, Encoding encoding)
    {
        using var termination = new Termination();
        using Socket socket = await TcpConnector.ConnectAsync(target.Host, target.Port, connectTimeout, termination.Token).ConfigureAwait(false);
        socket.NoDelay = true;
        Console.Error.WriteLine($"socketlab: replaying connection {plan.Connection} ({plan.Role}): {plan.SendCount} sends, {plan.SendBytes} bytes, to {target}");
        ReplayResult result;
        try
        {
            result = await ReplayRunner.RunAsync(plan, socket, speed, timeout, termination.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("socketlab: replay interrupted");
            return ExitCodes.Interrupted;
        }

        if (result.Difference is null)
        {
            Console.WriteLine($"replies match: {result.ReceivedLength} bytes, as recorded");
            return ExitCodes.Ok;
        }
        Report(plan, result, encoding);
        return ExitCodes.ExpectationFailed;
    }

    private static void Report(ReplayPlan plan, ReplayResult result, Encoding encoding)
    {
        StreamDifference d = result.Difference!;
        string where = result.Chunk is { } hit
            ? $" (in recorded reply #{hit.Index + 1} of {plan.ReplyCount}, at {hit.Time.ToLocalTime():HH:mm:ss.fff})"
            : "";
        string headline = d.Kind switch
        {
            DifferenceKind.Differs => $"replies differ at byte {d.Offset} of {d.ExpectedLength}{where}",
            DifferenceKind.Missing => $"replies stop short: got {d.ActualLength} of {d.ExpectedLength} recorded bytes{where}",
            _ => $"replies go on: got {d.ActualLength} bytes, {d.ActualLength - d.ExpectedLength} more than the {d.ExpectedLength} recorded",
        };
        Console.WriteLine(headline);
        Console.WriteLine($"  expected: {Excerpt(result.ExpectedExcerpt, d.Offset, d.ExpectedLength, encoding)}");
        Console.WriteLine($"  received: {Excerpt(result.ReceivedExcerpt, d.Offset, d.ActualLength, encoding)}");
        if (result.Error is not null)
            Console.WriteLine($"  connection: {result.Error}");
        else if (result.PeerClosed && d.Kind == DifferenceKind.Missing)
            Console.WriteLine("  connection: the server closed it");
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
