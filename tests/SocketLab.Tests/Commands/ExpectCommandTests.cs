using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab expect against a real socketlab server process, including the shipped examples.</summary>
public sealed class ExpectCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-expect-").FullName;
    private CliProcess _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        _port = await _server.WaitForPortAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Examples([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples"));

    private async Task<(int Code, string Stdout, string Stderr)> RunScriptAsync(string script, params string[] extra)
    {
        string path = Path.Combine(_dir, $"s{Guid.NewGuid():N}.expect");
        await File.WriteAllTextAsync(path, script);
        return await CliProcess.RunAsync(Wait, ["expect", path, "--var", $"port={_port}", .. extra]);
    }

    [Fact]
    public async Task Append_puts_the_crc_on_every_send_and_the_echo_proves_it()
    {
        // The server echoes: the frame must come back with the CRC-16/MODBUS the script did not write.
        var (code, stdout, stderr) = await RunScriptAsync("""
            connect 127.0.0.1:{{port}}
            send hex "01 03 00 00 00 0A"
            expect hex "01 03 00 00 00 0a c5 cd" within 5s
            """, "--append", "crc16-modbus");
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        var (bad, _, badErr) = await RunScriptAsync("connect 127.0.0.1:{{port}}\n", "--append", "crc9");
        Assert.Equal(2, bad);
        Assert.Contains("--append: unknown checksum 'crc9'", badErr);
    }

    [Theory]
    [InlineData("echo.expect")]
    [InlineData("lines.expect")]
    public async Task Shipped_examples_pass_against_socketlab_server(string example)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(Wait, "expect", Path.Combine(Examples(), example), "--var", $"port={_port}");
        Assert.True(code == 0, $"{stdout}\n{stderr}");
        Assert.Contains("passed", stderr);
        if (example == "echo.expect")
            Assert.Equal("temperature 23.5, humidity 40", stdout.Trim());
    }

    [Fact]
    public async Task Every_example_in_the_folder_is_tested()
    {
        string[] shipped = Directory.GetFiles(Examples(), "*.expect").Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(["echo.expect", "lines.expect"], shipped);
    }

    [Fact]
    public async Task The_first_miss_is_reported_with_its_line_and_what_was_received_and_exit_code_13()
    {
        var (code, _, stderr) = await RunScriptAsync("""
            connect 127.0.0.1:{{port}}
            send "abc"
            expect "abc"
            send "xyz"
            expect "xyq" within 300ms
            expect "never reached"
            """);
        Assert.Equal(13, code);
        Assert.Contains(":5: expect \"xyq\" within 300ms", stderr);
        Assert.Contains("expected \"xyq\" within 0.3 s, timed out; unmatched: \"xyz\" (78 79 7a)", stderr);
    }

    [Fact]
    public async Task Framed_expectations_take_whole_frames_and_report_the_wrong_one()
    {
        var (code, _, stderr) = await RunScriptAsync("""
            frame len2be
            connect 127.0.0.1:{{port}}
            send hex "00 02 68 69 00 03"
            send "bye"
            expect "hi"
            expect bytes 2
            """);
        Assert.Equal(13, code);
        Assert.Contains("expected 2 bytes, got the frame \"bye\" (62 79 65)", stderr);
    }

    [Theory]
    [InlineData("conect 127.0.0.1:1", 2, ":1: unknown command 'conect'")]
    [InlineData("connect 127.0.0.1:{{port}}\nexpect \"a\" within soon", 2, ":2: 'soon' is not a time")]
    [InlineData("connect 127.0.0.1:{{port}}\nsend \"{{nothing}}\"", 2, "unknown variable {{nothing}}")]
    [InlineData("send \"early\"", 2, "not connected")]
    [InlineData("connect 127.0.0.1:{{port}}\nsend hex \"0g\"", 2, "bad hex")]
    [InlineData("connect 127.0.0.1:{{port}}\nexpect regex \"(\"", 2, "bad regex")]
    [InlineData("connect 127.0.0.1:1", 5, "connection refused")]
    public async Task Script_and_network_errors_have_their_own_exit_codes(string script, int expectedCode, string message)
    {
        var (code, _, stderr) = await RunScriptAsync(script);
        Assert.Equal(expectedCode, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Expect_closed_holds_when_the_server_hangs_up_and_other_expectations_then_fail()
    {
        await using CliProcess small = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--idle-timeout", "300ms");
        int port = await small.WaitForPortAsync();

        var (code, _, stderr) = await RunScriptAsync($"""
            connect 127.0.0.1:{port}
            expect closed within 3s
            """);
        Assert.True(code == 0, stderr);

        (code, _, stderr) = await RunScriptAsync($"""
            connect 127.0.0.1:{port}
            expect "hello" within 3s
            """);
        Assert.Equal(13, code);
        Assert.Contains("expected \"hello\", but the connection was closed by the server", stderr);
    }

    [Fact]
    public async Task A_catastrophic_regex_fails_the_expectation_with_exit_13_not_an_unexpected_error()
    {
        var (code, _, stderr) = await RunScriptAsync("""
            connect 127.0.0.1:{{port}}
            send "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
            expect regex "(a+)+b" within 10s
            """);
        Assert.Equal(13, code);
        Assert.Contains(":3: expect regex", stderr);
        Assert.Contains("expected /(a+)+b/, but the regex took over 1 s on the 41 bytes received", stderr);
        Assert.DoesNotContain("unexpected error", stderr);
    }

    [Fact]
    public async Task Variables_that_expand_without_bound_stop_at_the_limit_with_exit_2_and_the_line()
    {
        var script = new System.Text.StringBuilder("set v0 \"xxxxxxxx\"\n");
        for (int i = 1; i <= 10; i++)
            script.Append($"set v{i} \"{string.Concat(Enumerable.Repeat($"{{{{v{i - 1}}}}}", 8))}\"\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, _, stderr) = await RunScriptAsync(script.ToString());
        Assert.Equal(2, code);
        // 8^7 characters would be the first value past 1 Mi: line 7 ("set v6 …").
        Assert.Matches(@"\.expect:7: set v6 ", stderr);
        Assert.Contains("variables expand to more than 1 Mi characters here", stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_flooding_server_while_waiting_costs_bounded_memory_and_the_miss_says_what_was_forgotten()
    {
        using var listener = RawPeer.Listen();
        using var flooding = new CancellationTokenSource();
        Task flood = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            byte[] chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'y');
            try
            {
                while (!flooding.IsCancellationRequested)
                    await peer.SendAsync(chunk, System.Net.Sockets.SocketFlags.None, flooding.Token);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException) { }
        });
        string path = Path.Combine(_dir, "flood.expect");
        await File.WriteAllTextAsync(path, $"connect 127.0.0.1:{RawPeer.PortOf(listener)}\nexpect \"X\" within 6s\n");
        await using var expect = CliProcess.Start("expect", path);
        long peak = 0;
        while (!expect.HasExited)
        {
            try { peak = Math.Max(peak, ProcStats.RssKiB(expect.Id)); }
            catch (Exception ex) when (ex is IOException or InvalidOperationException) { } // Exited meanwhile.
            await Task.Delay(100);
        }
        Assert.Equal(13, await expect.WaitForExitAsync(Wait));
        flooding.Cancel();
        await flood;
        Assert.Matches(@"expected ""X"" within 6 s, timed out; unmatched: ""y+""… \(1048576 bytes\) \(79 .*\) \(\d+ earlier bytes forgotten: at most 1024 KiB unmatched are kept\)", expect.Stderr);
        Assert.True(peak < 200 * 1024, $"expect's RSS reached {peak} KiB while a server flooded it");
    }

    [Fact]
    public async Task A_missing_script_file_is_exit_code_12()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "expect", Path.Combine(_dir, "none.expect"));
        Assert.Equal(12, code);
        Assert.StartsWith("socketlab expect: cannot read", stderr);
    }
}
