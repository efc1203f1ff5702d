using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SocketLab.Cli.Output;
using SocketLab.Core.Bench;
using SocketLab.Core.Net;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab bench HOST PORT</c>: load an echo server and measure it, checking every byte.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        Argument<string> host = new("host") { Description = "Echo server name or IP address" };
        Argument<int> port = new("port") { Description = "Echo server port", CustomParser = r => CommonOptions.ParsePort(r, "PORT") };
        Option<int> connections = CommonOptions.Count("--connections", "Connections sending at once [default: 50]", 50, min: 1);
        connections.Aliases.Add("-c");
        Option<int> size = CommonOptions.Bytes("--size", "Bytes per message, e.g. 32, 512, 64k [default: 512]", 512, 1, 16 * 1024 * 1024);
        Option<int> depth = CommonOptions.Count("--depth", "Messages in flight per connection: 1 = ping-pong, more = pipelined [default: 1]", 1, min: 1);
        Option<TimeSpan> duration = CommonOptions.Duration("--duration", "Measured time [default: 10s]", TimeSpan.FromSeconds(10));
        duration.Aliases.Add("-d");
        Option<TimeSpan> warmup = CommonOptions.Duration("--warmup", "Load before measuring (not counted) [default: 1s]", TimeSpan.FromSeconds(1));
        Option<int> idle = CommonOptions.Count("--idle", "Extra idle connections opened first; each must still echo at the end [default: 0]", 0);
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up on one connect after this long [default: 10s]", TimeSpan.FromSeconds(10));
        Option<FileInfo?> report = new("--report") { Description = "Also draw latency and throughput into FILE.svg or FILE.html" };
        report.Validators.Add(r =>
        {
            string name = CommonOptions.TokenText(r);
            if (name.Length > 0 && BenchReport.FormatOf(name) is null)
                r.AddError($"--report takes a file name ending in .svg or .html, got '{name}'");
        });
        Option<bool> json = new("--json") { Description = "Print the result as one JSON object" };
        Option<double?> rate = RateOption("--rate", "Open loop: send this many messages a second in all (e.g. 50k/s), each at its set time; latency counts from that time");
        Option<double?> connectRate = RateOption("--connect-rate", "Open at most this many connections a second (e.g. 200/s)");
        Option<TimeSpan> ramp = CommonOptions.Duration("--ramp", "With --rate: climb from 0 to the rate over this time from the start of the load [default: 0s]", TimeSpan.Zero);
        Option<bool> rateSearch = new("--rate-search") { Description = "Find the highest --rate whose p99 stays under --p99 (runs the bench several times; --rate is where it starts)" };
        Option<TimeSpan?> p99 = CommonOptions.PositiveDuration("--p99", "With --rate-search: the p99 latency to stay under, e.g. 5ms");
        Option<DateTimeOffset?> startAt = CommonOptions.Parsed(new Option<DateTimeOffset?>("--start-at")
        {
            Description = "Connect, then start the load at this wall-clock time (2026-12-01T20:00:00Z or Unix seconds), so several generators start together",
            HelpName = "TIME",
        }, text => Rates.TryParseWallClock(text, out DateTimeOffset at) ? (true, at) : (false, null), "a time such as 2026-12-01T20:00:00Z or Unix seconds");
        Option<FileInfo?> hdrLog = new("--hdr-log") { Description = "Also write the latency as an HdrHistogram interval log to FILE (merge logs with 'socketlab bench merge')", HelpName = "FILE" };
        var tls = new ClientTlsOptionSet();
        Option<SocketEngine> engine = CommonOptions.Choice("--engine", "What drives the TCP connections (epoll: one thread, Linux, plain TCP; uring: one thread on io_uring, Linux 6.0+, plain TCP; async: .NET async sockets)", SocketEngine.Auto);
        Option<bool> udp = new("--udp") { Description = "Echo numbered datagrams over UDP instead; -c is then UDP sockets, --size the datagram size" };
        Option<TimeSpan> timeout = CommonOptions.Duration("--timeout", "UDP: a datagram not echoed within this time counts as lost [default: 1s]", TimeSpan.FromSeconds(1));
        Option<double?> maxLoss = new("--max-loss")
        {
            Description = "UDP: fail the run (exit 15) when more than PCT % of the datagrams are lost, e.g. 1 or 0.5",
            HelpName = "PCT",
            CustomParser = r => CommonOptions.Parse<double?>(r,
                text => (double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double pct) && pct is >= 0 and <= 100, pct),
                text => $"--max-loss takes a percentage from 0 to 100 such as 1 or 0.5, got '{text}'", null),
        };

        var command = new Command("bench", "Load an echo server with ping-pong or pipelined messages (TCP) or datagrams (--udp), check every echoed byte, report messages/s and latency")
        {
            host, port, connections, size, depth, duration, warmup, idle, connectTimeout, engine, report, json, udp, timeout, maxLoss,
            rate, connectRate, ramp, rateSearch, p99, startAt, hdrLog,
        };
        command.Subcommands.Add(BenchMergeCommand.Create());
        tls.AddTo(command);
        CommonOptions.Validate(command, r =>
        {
            if (r.GetResult(duration) is { Implicit: false } && r.GetValue(duration) <= TimeSpan.Zero)
                r.AddError("--duration must be above zero (the measured time), e.g. 10s");
            // Only options given on the command line can clash (a validator sees no default values).
            bool isUdp = r.GetResult(udp) is not null;
            if (isUdp && CommonOptions.Given(r, size) is int n && n is < EchoBench.UdpMinSize or > EchoBench.UdpMaxSize)
                r.AddError($"--size with --udp takes {EchoBench.UdpMinSize} to {EchoBench.UdpMaxSize} bytes (one IPv4 datagram carrying its 8-byte number), got {n}");
            else if (isUdp && r.GetResult(idle) is not null)
                r.AddError("--idle holds TCP connections open; it does not apply to --udp");
            else if (!isUdp && r.GetResult(timeout) is not null)
                r.AddError("--timeout applies to --udp only");
            else if (!isUdp && r.GetResult(maxLoss) is not null)
                r.AddError("--max-loss applies to --udp only");
            else if (r.GetResult(tls.Tls) is not null && (isUdp || r.GetResult(idle) is not null || CommonOptions.Given(r, depth) > 1))
                r.AddError("--tls runs TCP ping-pong only: not with --udp, --idle or --depth above 1");
            else if (CommonOptions.Given(r, engine) is SocketEngine.Epoll && (isUdp || r.GetResult(tls.Tls) is not null))
                r.AddError("--engine epoll runs plain TCP only: not with --udp or --tls");
            else if (CommonOptions.Given(r, engine) is SocketEngine.Epoll && !EchoBench.EpollAvailable)
                r.AddError("--engine epoll needs Linux on x64 or arm64; use --engine async");
            else if (CommonOptions.Given(r, engine) is SocketEngine.Uring && (isUdp || r.GetResult(tls.Tls) is not null))
                r.AddError("--engine uring runs plain TCP only: not with --udp or --tls");
            else if (CommonOptions.Given(r, engine) is SocketEngine.Uring && Core.Uring.UringSupport.Unavailable is { } why)
                r.AddError($"--engine uring cannot run here: {why}; use --engine epoll");
            else if (isUdp && CommonOptions.Given(r, timeout) <= TimeSpan.Zero)
                r.AddError("--timeout must be longer than 0");
            else if ((r.GetResult(rate) is not null || r.GetResult(rateSearch) is not null) && (isUdp || r.GetResult(tls.Tls) is not null || CommonOptions.Given(r, engine) is SocketEngine.Async))
                r.AddError("--rate and --rate-search run plain TCP on the epoll or uring engine: not with --udp, --tls or --engine async");
            else if ((r.GetResult(rate) is not null || r.GetResult(rateSearch) is not null) && !EchoBench.EpollAvailable)
                r.AddError("--rate and --rate-search need Linux on x64 or arm64 (the epoll engine)");
            else if (r.GetResult(ramp) is not null && r.GetResult(rate) is null && r.GetResult(rateSearch) is null)
                r.AddError("--ramp applies to --rate only");
            else if ((r.GetResult(rateSearch) is null) != (r.GetResult(p99) is null))
                r.AddError("--rate-search and --p99 go together: --rate-search --p99 5ms");
        });
        command.SetAction(async (r, _) =>
        {
            IPAddress address = await HostResolver.ResolveAsync(r.GetValue(host)!, default, NetworkOperation.Connect, $"{r.GetValue(host)}:{r.GetValue(port)}").ConfigureAwait(false);
            var options = new BenchOptions
            {
                Target = new IPEndPoint(address, r.GetValue(port)),
                Connections = r.GetValue(connections),
                Size = r.GetValue(size),
                Depth = r.GetValue(depth),
                Duration = r.GetValue(duration),
                Warmup = r.GetValue(warmup),
                Idle = r.GetValue(idle),
                ConnectTimeout = r.GetValue(connectTimeout),
                Udp = r.GetValue(udp),
                Engine = r.GetValue(engine),
                Timeout = r.GetValue(timeout),
                MaxLossPercent = r.GetValue(maxLoss),
                Tls = tls.Resolve(r),
                TlsHost = r.GetValue(tls.Sni) ?? r.GetValue(host)!,
                Rate = r.GetValue(rate),
                Ramp = r.GetValue(ramp),
                ConnectRate = r.GetValue(connectRate),
                StartAt = r.GetValue(startAt),
            };
            if (r.GetValue(rateSearch))
                return await SearchAsync(options, r.GetValue(p99)!.Value, r.GetValue(report), r.GetValue(json)).ConfigureAwait(false);
            return await RunAsync(options, r.GetValue(report), r.GetValue(json), r.GetValue(hdrLog)).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<double?> RateOption(string name, string description) =>
        CommonOptions.Parsed(new Option<double?>(name) { Description = description, HelpName = "N/s" },
            text => Rates.TryParse(text, out double perSecond) ? (true, perSecond) : (false, null), "a rate above 0 such as 50k/s, 2000/s or 1.5M/s");

    private static async Task<int> RunAsync(BenchOptions options, FileInfo? report, bool json, FileInfo? hdrLogFile)
    {
        using var termination = new Termination();
        NoteLateStart(options);
        var progress = Console.IsErrorRedirected ? null : new BenchProgress(Console.Error, options);
        BenchResult result;
        FileStream? logStream = null;
        try
        {
            if (hdrLogFile is not null)
            {
                try { logStream = new FileStream(hdrLogFile.FullName, FileMode.Create, FileAccess.Write, FileShare.Read); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliException(ExitCodes.FileError, $"cannot write --hdr-log {hdrLogFile.FullName}: {ex.Message}");
                }
            }
            using HdrIntervalLog? hdrLog = logStream is null ? null : new HdrIntervalLog(logStream);
            try
            {
                result = await EchoBench.RunAsync(options, progress is null ? null : progress.Show, termination.Token, hdrLog).ConfigureAwait(false);
            }
            finally
            {
                progress?.Clear();
            }
            hdrLog?.WriteSummary(result);
        }
        finally
        {
            logStream?.Dispose();
        }
        return Finish(result, report, json);
    }

    /// <summary>A start time already past by more than a second starts at once, with a note: the workers will not be together.</summary>
    private static void NoteLateStart(BenchOptions options)
    {
        if (options.StartAt is { } at && DateTimeOffset.UtcNow - at > TimeSpan.FromSeconds(1))
            Console.Error.WriteLine($"socketlab bench: --start-at {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is {(DateTimeOffset.UtcNow - at).TotalSeconds:0} s past; starting now");
    }

    private static async Task<int> SearchAsync(BenchOptions options, TimeSpan p99Target, FileInfo? report, bool json)
    {
        using var termination = new Termination();
        NoteLateStart(options);
        bool terminal = !Console.IsErrorRedirected;
        var progress = terminal ? new BenchProgress(Console.Error, options) : null;
        RateSearchResult search;
        try
        {
            search = await RateSearch.RunAsync(options, p99Target, step =>
            {
                progress?.Clear();
                if (terminal)
                    Console.Error.WriteLine(BenchResultWriter.StepLine(step));
            }, progress is null ? null : progress.Show, termination.Token).ConfigureAwait(false);
        }
        finally
        {
            progress?.Clear();
        }
        int code = Finish(search.Result, report, json, search);
        if (code == ExitCodes.Ok && !search.Found)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"socketlab bench: no rate kept p99 under {p99Target.TotalMilliseconds:0.###} ms (lowest tried: {search.Steps.Min(s => s.AskedPerSecond):N0} msg/s)"));
            return ExitCodes.BenchErrors;
        }
        return code;
    }

    /// <summary>Writes the result (stdout), the report file, and the verdict line; returns the exit code.</summary>
    internal static int Finish(BenchResult result, FileInfo? report, bool json, RateSearchResult? search = null)
    {
        using (Stream stdout = Console.OpenStandardOutput())
        {
            if (json)
                BenchResultWriter.WriteJson(result, stdout, search);
            else
                BenchResultWriter.WriteText(result, stdout, search);
        }
        if (report is not null)
        {
            BenchReport.Write(result, report.FullName);
            Console.Error.WriteLine($"socketlab bench: report written to {report.FullName}");
        }

        if (result.Mismatch is { } m)
        {
            Console.Error.WriteLine($"socketlab bench: corrupted echo: {m}");
            return ExitCodes.EchoMismatch;
        }
        if (!result.Ok)
        {
            Console.Error.WriteLine($"socketlab bench: {Problems(result)}");
            return ExitCodes.BenchErrors;
        }
        return ExitCodes.Ok;
    }

    private static string Problems(BenchResult r)
    {
        var parts = new List<string>();
        if (r.ConnectFailures > 0)
            parts.Add($"{r.ConnectFailures} connects failed");
        if (r.Errors > 0)
            parts.Add($"{r.Errors} {(r.Options.Udp ? "sockets" : "connections")} failed");
        if (r.IdleFailures > 0)
            parts.Add($"{r.IdleFailures} of {r.Options.Idle} idle connections did not echo");
        if (r.Messages == 0)
            parts.Add(r.Options.Udp ? "no datagram was echoed" : "no message was echoed");
        if (r.LossExceeded)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Datagrams!.LossPercent:0.###} % of the datagrams were lost, more than --max-loss {r.Options.MaxLossPercent} %"));
        string text = string.Join(", ", parts);
        return r.FirstError is null ? text : $"{text} (first: {r.FirstError})";
    }

    /// <summary>One self-overwriting status line on a terminal's stderr.</summary>
    private sealed class BenchProgress(TextWriter err, BenchOptions options)
    {
        public void Show(BenchSample s)
        {
            CultureInfo inv = CultureInfo.InvariantCulture;
            string phase = s.Measuring ? $"{s.Elapsed.TotalSeconds,5:0.0} s" : "warm-up";
            string asked = s.AskedPerSecond is double a ? $" of {a.ToString("N0", inv)}" : "";
            string p99 = s.Measuring ? $"  p99 {s.P99Micros.ToString("0.#", inv)} µs" : "";
            string lost = options.Udp ? $"  lost {s.Lost.ToString("N0", inv)}" : "";
            string errors = s.Errors > 0 ? $"  errors {s.Errors.ToString("N0", inv)}" : "";
            string who = options.Udp ? "sockets" : "connections";
            err.Write($"\r\u001b[K{phase}  {s.MessagesPerSecond.ToString("N0", inv)}{asked} {BenchResultWriter.RateUnit(options)}{p99}{lost}{errors}  {s.Connected} {who}");
            err.Flush();
        }

        public void Clear()
        {
            err.Write("\r\u001b[K");
            err.Flush();
        }
    }
}
