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
/// <c>--listen [ADDR:]PORT</c>: play the recorded server's (device's) side for clients that connect and compare what each sends (<see cref="ReplayListener"/>).
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        Argument<string> file = new("file") { Description = "A transcript written with --record (JSONL)" };
        Option<HostPort?> to = CommonOptions.Target("--to", "Play the client's side against this server, HOST:PORT");
        to.Required = false; // --to or --listen, checked below.
        Option<IPEndPoint> listen = CommonOptions.Listen("Play the server's (device's) side instead: wait for a client on PORT or ADDR:PORT, send what the server sent and compare what the client sends");
        Option<bool> keepOpen = new("--keep-open", "-k") { Description = "With --listen: serve clients until Ctrl+C, each getting its own replay from the start, at the same time; exit 13 if any differed" };
        Option<int?> clients = new("--clients")
        {
            HelpName = "N",
            Description = "With --listen: serve this many clients (each its own replay, at the same time), then exit: 13 if any differed [default: 1]",
            CustomParser = r => CommonOptions.Parse<int?>(r, text => (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1, n),
                text => $"--clients must be a whole number of at least 1, got '{text}'", null),
        };
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
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long; with --listen, give up when no client connected within it (while none is being served) [default: 10s; none with --keep-open]", TimeSpan.FromSeconds(10));
        Option<string> encoding = CommonOptions.Encoding();

        var command = new Command("replay", "Replay the sends of a recorded TCP client session against a server (--to), or the server's side for a client (--listen, -k to keep serving), and compare the other end's bytes byte for byte (exit 13 when they differ)")
        {
            file, to, listen, keepOpen, clients, speed, connection, timeout, connectTimeout, encoding,
        };
        CommonOptions.Validate(command, r =>
        {
            if ((r.GetResult(to) is null) == (r.GetResult(listen) is null))
                r.AddError("one of --to HOST:PORT (play the client's side against a server) or --listen [ADDR:]PORT (play the server's side for a client) is needed, not both");
            else if (r.GetResult(listen) is null && (r.GetValue(keepOpen) || r.GetResult(clients) is not null))
                r.AddError("--keep-open and --clients serve clients: they go with --listen [ADDR:]PORT, not --to");
            else if (r.GetValue(keepOpen) && r.GetResult(clients) is not null)
                r.AddError("--keep-open serves clients until Ctrl+C and --clients N stops after N: give one of them");
            else if (r.GetValue(keepOpen) && r.GetResult(connectTimeout) is { Implicit: false })
                r.AddError("--keep-open waits for clients until Ctrl+C; --connect-timeout goes with one client or --clients N");
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
            {
                bool serving = r.GetValue(keepOpen);
                int? count = serving ? null : r.GetValue(clients) ?? 1;
                var settings = new ReplayListener.Settings(r.GetValue(speed), r.GetValue(timeout), serving ? null : r.GetValue(connectTimeout), count,
                    Tagged: serving || r.GetResult(clients) is not null, shown);
                return await ReplayListener.RunAsync(plan, local, settings, termination).ConfigureAwait(false);
            }
            HostPort target = r.GetValue(to)!.Value;
            using Socket socket = await TcpConnector.ConnectAsync(target.Host, target.Port, r.GetValue(connectTimeout), termination.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"socketlab: replaying connection {plan.Connection} ({plan.Role}): {plan.SendCount} sends, {plan.SendBytes} bytes, to {target}");
            return await PlayAsync(plan, socket, r.GetValue(speed), r.GetValue(timeout), shown, termination).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> PlayAsync(ReplayPlan plan, Socket socket, double speed, TimeSpan timeout, Encoding encoding, Termination termination)
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
        ReplayReport.Print(ReplayReport.Lines(plan, result, encoding, ReplayReport.Replies));
        return result.Difference is null ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
    }
}
