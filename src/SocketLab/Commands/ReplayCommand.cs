using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Replay;
using SocketLab.Core.Tcp;
using SocketLab.Core.Text;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab replay FILE --to HOST:PORT</c>: send a recorded client's bytes again and compare the replies;
/// <c>--listen [ADDR:]PORT</c>: play the recorded server's (device's) side for a client that connects and compare what it sends.
/// </summary>
public static class ReplayCommand
{
    /// <summary>How a report names the compared stream and the end that sent it.</summary>
    private sealed record Wording(string Stream, string Chunk, string Peer);

    private static readonly Wording Replies = new("replies", "reply", "server");
    private static readonly Wording ClientBytes = new("the client's bytes", "client chunk", "client");

    public static Command Create()
    {
        Argument<string> file = new("file") { Description = "A transcript written with --record (JSONL)" };
        Option<HostPort?> to = CommonOptions.Target("--to", "Play the client's side against this server, HOST:PORT");
        to.Required = false; // --to or --listen, checked below.
        Option<IPEndPoint> listen = CommonOptions.Listen("Play the server's (device's) side instead: wait for one client on PORT or ADDR:PORT, send what the server sent and compare what the client sends");
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
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long; with --listen, give up when no client connected within it [default: 10s]", TimeSpan.FromSeconds(10));
        Option<string> encoding = CommonOptions.Encoding();

        var command = new Command("replay", "Replay the sends of a recorded TCP client session against a server (--to), or the server's side for a client (--listen), and compare the other end's bytes byte for byte (exit 13 when they differ)")
        {
            file, to, listen, speed, connection, timeout, connectTimeout, encoding,
        };
        CommonOptions.Validate(command, r =>
        {
            if ((r.GetResult(to) is null) == (r.GetResult(listen) is null))
                r.AddError("one of --to HOST:PORT (play the client's side against a server) or --listen [ADDR:]PORT (play the server's side for a client) is needed, not both");
            foreach (Option<TimeSpan> o in new[] { timeout, connectTimeout })
            {
                if (r.GetValue(o) > ReplayPlan.MaxPause)
                    r.AddError($"{o.Name} takes at most {ReplayPlan.MaxPause.TotalDays:0} days, got '{r.GetResult(o)?.Tokens.FirstOrDefault()?.Value}'");
            }
        });
        command.SetAction(async (r, ct) =>
        {
            string path = r.GetValue(file)!;
            IPEndPoint? local = r.GetValue(listen);
            ReplayPlan plan;
            try
            {
                // Streamed twice (connections, then the chosen one's bytes): a huge file is never held in memory.
                plan = ReplayPlan.FromFile(path, r.GetValue(connection), r.GetValue(speed), local is null ? ReplaySide.Client : ReplaySide.Device);
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
            Encoding shown = TextEncodings.Get(r.GetValue(encoding)!);
            using var termination = new Termination();
            if (local is not null)
                return await ListenAsync(plan, local, r.GetValue(speed), r.GetValue(timeout), r.GetValue(connectTimeout), shown, termination).ConfigureAwait(false);
            HostPort target = r.GetValue(to)!.Value;
            using Socket socket = await TcpConnector.ConnectAsync(target.Host, target.Port, r.GetValue(connectTimeout), termination.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"socketlab: replaying connection {plan.Connection} ({plan.Role}): {plan.SendCount} sends, {plan.SendBytes} bytes, to {target}");
            return await PlayAsync(plan, socket, r.GetValue(speed), r.GetValue(timeout), shown, Replies, termination).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Waits for one client (later ones are refused) and plays the recorded server's side for it.</summary>
    private static async Task<int> ListenAsync(ReplayPlan plan, IPEndPoint local, double speed, TimeSpan timeout, TimeSpan acceptTimeout, Encoding encoding, Termination termination)
    {
        Socket socket;
        using (Socket listener = ListenSocket.Open(local, backlog: 1))
        {
            string where = EndpointText.ReachableHostPort((IPEndPoint)listener.LocalEndPoint!);
            Console.Error.WriteLine($"socketlab: playing the server's side of connection {plan.Connection} ({plan.Role}): {plan.SendCount} sends, {plan.SendBytes} bytes; waiting for a client on {where}");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(termination.Token);
            deadline.CancelAfter(acceptTimeout);
            try
            {
                socket = await listener.AcceptAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!termination.Token.IsCancellationRequested)
            {
                Console.Error.WriteLine($"socketlab replay: no client connected to {where} within {acceptTimeout.TotalSeconds:0.###} s (--connect-timeout)");
                return ExitCodes.TimedOut;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("socketlab: replay interrupted");
                return ExitCodes.Interrupted;
            }
        }
        using (socket)
        {
            Console.Error.WriteLine($"socketlab: client {EndpointText.HostPort((IPEndPoint)socket.RemoteEndPoint!)} connected");
            return await PlayAsync(plan, socket, speed, timeout, encoding, ClientBytes, termination).ConfigureAwait(false);
        }
    }

    private static async Task<int> PlayAsync(ReplayPlan plan, Socket socket, double speed, TimeSpan timeout, Encoding encoding, Wording words, Termination termination)
    {
        socket.NoDelay = true;
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
            Console.WriteLine($"{words.Stream} match: {result.ReceivedLength} bytes, as recorded");
            return ExitCodes.Ok;
        }
        Report(plan, result, encoding, words);
        return ExitCodes.ExpectationFailed;
    }

    private static void Report(ReplayPlan plan, ReplayResult result, Encoding encoding, Wording words)
    {
        StreamDifference d = result.Difference!;
        string where = result.Chunk is { } hit
            ? $" (in recorded {words.Chunk} #{hit.Index + 1} of {plan.ReplyCount}, at {hit.Time.ToLocalTime():HH:mm:ss.fff})"
            : "";
        string headline = d.Kind switch
        {
            DifferenceKind.Differs => $"{words.Stream} differ at byte {d.Offset} of {d.ExpectedLength}{where}",
            DifferenceKind.Missing => $"{words.Stream} stop short: got {d.ActualLength} of {d.ExpectedLength} recorded bytes{where}",
            _ => $"{words.Stream} go on: got {d.ActualLength} bytes, {d.ActualLength - d.ExpectedLength} more than the {d.ExpectedLength} recorded",
        };
        Console.WriteLine(headline);
        Console.WriteLine($"  expected: {Excerpt(result.ExpectedExcerpt, d.Offset, d.ExpectedLength, encoding)}");
        Console.WriteLine($"  received: {Excerpt(result.ReceivedExcerpt, d.Offset, d.ActualLength, encoding)}");
        if (result.Error is not null)
            Console.WriteLine($"  connection: {result.Error}");
        else if (result.PeerClosed && d.Kind == DifferenceKind.Missing)
            Console.WriteLine($"  connection: the {words.Peer} closed it");
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
