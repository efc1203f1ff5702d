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
        var tls = new ClientTlsOptionSet();
        Option<SocketEngine> engine = CommonOptions.Choice("--engine", "What drives the TCP connections (epoll: one thread, Linux, plain TCP; async: .NET async sockets)", SocketEngine.Auto);
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
        };
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
            else if (isUdp && CommonOptions.Given(r, timeout) <= TimeSpan.Zero)
                r.AddError("--timeout must be longer than 0");
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
            };
            return await RunAsync(options, r.GetValue(report), r.GetValue(json)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(BenchOptions options, FileInfo? report, bool json)
    {
        using var termination = new Termination();
        var progress = Console.IsErrorRedirected ? null : new BenchProgress(Console.Error, options);
        BenchResult result;
        try
        {
            result = await EchoBench.RunAsync(options, progress is null ? null : progress.Show, termination.Token).ConfigureAwait(false);
        }
        finally
        {
            progress?.Clear();
        }

        using (Stream stdout = Console.OpenStandardOutput())
        {
            if (json)
                BenchResultWriter.WriteJson(result, stdout);
            else
                BenchResultWriter.WriteText(result, stdout);
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
            string phase = s.Measuring ? $"{s.Elapsed.TotalSeconds,5:0.0} s" : "warm-up";
            string p99 = s.Measuring ? $"  p99 {s.P99Micros.ToString("0.#", CultureInfo.InvariantCulture)} µs" : "";
            string lost = options.Udp ? $"  lost {s.Lost.ToString("N0", CultureInfo.InvariantCulture)}" : "";
            string who = options.Udp ? "sockets" : "connections";
            err.Write($"\r\u001b[K{phase}  {s.MessagesPerSecond.ToString("N0", CultureInfo.InvariantCulture)} {BenchResultWriter.RateUnit(options)}{p99}{lost}  {s.Connected} {who}");
            err.Flush();
        }

        public void Clear()
        {
            err.Write("\r\u001b[K");
            err.Flush();
        }
    }
}
