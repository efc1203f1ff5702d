using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;
using SocketLab.Tests.Shared;

namespace SocketLab.Tests.Commands;

public class BenchCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bench_against_socketlab_server_prints_json_with_counts_and_no_errors()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();

        string report = Path.Combine(Path.GetTempPath(), $"socketlab-bench-{Guid.NewGuid():N}.svg");
        try
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
                "bench", "127.0.0.1", port.ToString(), "-c", "20", "--size", "64", "--duration", "1s", "--warmup", "300ms",
                "--idle", "30", "--json", "--report", report);

            Assert.True(code == 0, $"exit {code}: {stderr}");
            // No progress line when stderr is not a terminal; one line saying where the report went.
            Assert.Equal($"socketlab bench: report written to {report}", stderr.Trim());
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("ok").GetBoolean());
            Assert.Equal("ping-pong", r.GetProperty("mode").GetString());
            Assert.Equal(20, r.GetProperty("connected").GetInt32());
            Assert.True(r.GetProperty("messages").GetInt64() > 0);
            Assert.True(r.GetProperty("messages_per_s").GetDouble() > 0);
            Assert.Equal(r.GetProperty("messages").GetInt64() * 64, r.GetProperty("bytes").GetInt64());
            Assert.Equal(0, r.GetProperty("errors").GetInt32());
            Assert.Equal(0, r.GetProperty("connect_failures").GetInt32());
            Assert.Equal(30, r.GetProperty("idle").GetProperty("echoed").GetInt32());
            Assert.Equal(OperatingSystem.IsLinux() ? (SocketLab.Core.Uring.UringSupport.IsAvailable ? "uring" : "epoll") : "async", r.GetProperty("generator").GetProperty("engine").GetString());
            JsonElement latency = r.GetProperty("latency_us");
            Assert.True(latency.GetProperty("p50").GetDouble() > 0);
            Assert.True(latency.GetProperty("p99").GetDouble() >= latency.GetProperty("p50").GetDouble());
            Assert.True(latency.GetProperty("max").GetDouble() >= latency.GetProperty("p99_9").GetDouble());

            string svg = await File.ReadAllTextAsync(report);
            Assert.StartsWith("<svg", svg);
            Assert.Contains("<polyline", svg);
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Fact]
    public async Task Pipelined_text_summary_reports_rate_and_percentiles()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", port.ToString(), "-c", "2", "--size", "1k", "--depth", "32", "-d", "500ms", "--warmup", "0");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Matches(@"2 connections x 1024 B, pipelined, depth 32", stdout);
        Assert.Matches(@"messages +[\d,]+ echoed and checked: [\d,]+ msg/s", stdout);
        Assert.Matches(@"latency us +p50 [\d.]+ +p90 [\d.]+ +p99 [\d.]+ +p99\.9 [\d.]+ +max [\d.]+", stdout);
    }

    [Fact]
    public async Task The_async_engine_gives_the_same_checked_run()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", port.ToString(), "-c", "4", "--size", "2k", "--depth", "8", "-d", "500ms", "--warmup", "0", "--engine", "async");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Matches(@"connected  4 of 4; connect failures 0; errors 0", stdout);
        Assert.Matches(@"generator  async, [\d.]+ s CPU", stdout);
    }

    [Fact]
    public async Task The_uring_engine_gives_the_same_checked_run_pipelined_and_open_loop()
    {
        if (!SocketLab.Core.Uring.UringSupport.IsAvailable)
            return; // Said by the auto-engine test: this kernel or its seccomp filter refuses io_uring.
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", port.ToString(), "-c", "4", "--size", "2k", "--depth", "8", "-d", "500ms", "--warmup", "0", "--engine", "uring");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Matches(@"connected  4 of 4; connect failures 0; errors 0", stdout);
        Assert.Matches(@"generator  uring, [\d.]+ s CPU", stdout);

        (code, stdout, stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", port.ToString(), "-c", "4", "--size", "32", "--rate", "2k/s", "-d", "500ms", "--warmup", "100ms", "--engine", "uring");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Matches(@"4 connections x 32 B, open loop at 2,000 msg/s, latency from intended send times", stdout);
        Assert.Matches(@"rate       asked [\d,]+ msg/s, achieved [\d,]+ \([\d.]+ %\)\n", stdout);
    }

    [Fact]
    public async Task A_corrupting_server_fails_the_run_with_exit_code_16()
    {
        await using var server = FaultyEchoServer.Corrupting(at: 3000);
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", server.EndPoint.Port.ToString(), "-c", "4", "--size", "32", "-d", "10s", "--warmup", "0");

        Assert.Equal(16, code);
        Assert.Matches(@"^socketlab bench: corrupted echo: connection \d+ got 0x[0-9a-f]{2} instead of 0x[0-9a-f]{2} at byte 3000 of its stream$", stderr);
        Assert.Contains("messages", stdout);
    }

    [Fact]
    public async Task A_server_that_drops_connections_fails_the_run_with_exit_code_15()
    {
        await using var server = FaultyEchoServer.Closing(at: 500);
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", server.EndPoint.Port.ToString(), "-c", "3", "--size", "50", "-d", "500ms", "--warmup", "0", "--json");

        Assert.Equal(15, code);
        Assert.Matches(@"^socketlab bench: 3 connections failed \(first: connection \d: the server closed the connection\)$", stderr);
    }

    [Fact]
    public async Task Nothing_listening_exits_5_with_one_line()
    {
        int port = RawPeer.FreePort();
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, "bench", "127.0.0.1", port.ToString(), "-d", "1s");

        Assert.Equal(5, code);
        Assert.Equal("", stdout);
        Assert.Equal($"socketlab: cannot connect to 127.0.0.1:{port}: connection refused (nothing is listening on that port)", stderr);
    }

    [Fact]
    public async Task Udp_with_nothing_listening_exits_5_with_one_line_without_waiting_the_duration()
    {
        int port = RawPeer.FreePort();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, "bench", "127.0.0.1", port.ToString(), "--udp", "-c", "3", "-d", "20s");

        Assert.Equal(5, code);
        Assert.Equal("", stdout);
        Assert.Equal($"socketlab: cannot reach UDP 127.0.0.1:{port}: port unreachable (nothing is listening on that port)", stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("--size", "0", "--size takes a size from 1 to 16777216 bytes such as 32, 512 or 64k, got '0'")]
    [InlineData("--size", "12q", "--size takes a size from 1 to 16777216 bytes such as 32, 512 or 64k, got '12q'")]
    [InlineData("-c", "0", "--connections must be a whole number of at least 1, got '0'")]
    [InlineData("--depth", "x", "--depth must be a whole number of at least 1, got 'x'")]
    [InlineData("--report", "out.png", "--report takes a file name ending in .svg or .html, got 'out.png'")]
    [InlineData("--timeout", "1s", "--timeout applies to --udp only")]
    [InlineData("--max-loss", "1", "--max-loss applies to --udp only")]
    [InlineData("--udp --size", "65508", "--size with --udp takes 8 to 65507 bytes (one IPv4 datagram carrying its 8-byte number), got 65508")]
    [InlineData("--udp --size", "7", "--size with --udp takes 8 to 65507 bytes (one IPv4 datagram carrying its 8-byte number), got 7")]
    [InlineData("--udp --idle", "10", "--idle holds TCP connections open; it does not apply to --udp")]
    [InlineData("--udp --timeout", "0", "--timeout must be longer than 0")]
    [InlineData("--udp --max-loss", "x", "--max-loss takes a percentage from 0 to 100 such as 1 or 0.5, got 'x'")]
    [InlineData("--engine", "fast", "--engine takes one of auto, epoll, async, uring, got 'fast'")]
    [InlineData("--udp --size", "12q", "--size takes a size from 1 to 16777216 bytes such as 32, 512 or 64k, got '12q'")]
    [InlineData("--tls --depth", "x", "--depth must be a whole number of at least 1, got 'x'")]
    [InlineData("--udp --timeout", "zz", "--timeout takes a time such as 500ms, 5s or 2m, got 'zz'")]
    [InlineData("--udp --engine", "epoll", "--engine epoll runs plain TCP only: not with --udp or --tls")]
    [InlineData("--tls --engine", "epoll", "--engine epoll runs plain TCP only: not with --udp or --tls")]
    public async Task Bad_options_exit_2_with_one_line(string option, string value, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, ["bench", "127.0.0.1", "9", .. option.Split(' '), value]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal($"socketlab bench: {message} (see 'socketlab bench --help')", stderr);
    }

    [Fact]
    public async Task Udp_bench_against_socketlab_udp_listen_echo_prints_json_with_datagram_counts_and_no_loss()
    {
        await using var listener = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--echo", "--quiet");
        int port = await listener.WaitForPortAsync();

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", port.ToString(), "--udp", "-c", "4", "--size", "200", "--depth", "2", "-d", "1s", "--warmup", "300ms", "--json");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Equal("", stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement r = doc.RootElement;
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("udp", r.GetProperty("protocol").GetString());
        Assert.Equal("pipelined", r.GetProperty("mode").GetString());
        Assert.Equal(4, r.GetProperty("connected").GetInt32());
        Assert.Equal(1, r.GetProperty("timeout_s").GetDouble());
        long messages = r.GetProperty("messages").GetInt64();
        Assert.True(messages > 0);
        Assert.Equal(messages * 200, r.GetProperty("bytes").GetInt64());
        JsonElement d = r.GetProperty("datagrams");
        Assert.Equal(messages, d.GetProperty("echoed").GetInt64());
        Assert.True(d.GetProperty("sent").GetInt64() > 0);
        Assert.Equal(0, d.GetProperty("lost").GetInt64());
        Assert.Equal(0, d.GetProperty("lost_percent").GetDouble());
        Assert.Equal(0, d.GetProperty("duplicated").GetInt64());
        Assert.True(r.GetProperty("latency_us").GetProperty("p50").GetDouble() > 0);
        Assert.All(r.GetProperty("timeline").EnumerateArray(), s => Assert.Equal(0, s.GetProperty("lost").GetInt64()));
    }

    [Fact]
    public async Task Udp_loss_alone_exits_0_and_with_max_loss_exceeded_exits_15()
    {
        using var echo = FaultyUdpEcho.Dropping(10);
        // A 1 s timeout: this test process's echo can stall for a few hundred ms on a loaded machine.
        string[] args = ["bench", "127.0.0.1", echo.EndPoint.Port.ToString(), "--udp", "-c", "4", "--depth", "16", "--timeout", "1s", "-d", "2s", "--warmup", "300ms"];

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, args);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Match counts = Regex.Match(stdout, @"sent ([\d,]+), echoed [\d,]+, lost ([\d,]+) \([\d.]+ %\), late ([\d,]+)");
        Assert.True(counts.Success, stdout);
        long Count(int group) => long.Parse(counts.Groups[group].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        // Every 10th datagram is dropped; one that was only slow is counted lost and then late.
        double dropped = 100.0 * (Count(2) - Count(3)) / Count(1);
        Assert.True(dropped is > 5 and < 15, stdout);

        (code, _, stderr) = await CliProcess.RunAsync(Exit, [.. args, "--max-loss", "1"]);
        Assert.Equal(15, code);
        Assert.Matches(@"^socketlab bench: [\d.]+ % of the datagrams were lost, more than --max-loss 1 %$", stderr);
    }

    [Fact]
    public async Task Udp_corrupted_datagram_exits_16_naming_the_datagram()
    {
        using var echo = FaultyUdpEcho.Corrupting(datagram: 50, at: 30);
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit,
            "bench", "127.0.0.1", echo.EndPoint.Port.ToString(), "--udp", "-c", "2", "--size", "64", "-d", "10s", "--warmup", "0");

        Assert.Equal(16, code);
        Assert.Matches(@"^socketlab bench: corrupted echo: socket \d got 0x[0-9a-f]{2} instead of 0x[0-9a-f]{2} at byte 30 of datagram \d+$", stderr);
        Assert.Contains("datagrams", stdout);
    }
}
