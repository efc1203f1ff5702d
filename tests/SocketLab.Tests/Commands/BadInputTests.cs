using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>Every bad input: one line on stderr, no stack trace, the documented exit code.</summary>
public class BadInputTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(30);

    private static void AssertOneCleanLine(string stderr, string expected)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Theory]
    [InlineData("70000", "--port must be a number from 0 to 65535, got '70000'")]
    [InlineData("-1", "--port must be a number from 0 to 65535, got '-1'")]
    [InlineData("abc", "--port must be a number from 0 to 65535, got 'abc'")]
    public async Task Bad_port(string port, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "server", "--port", port);
        Assert.Equal(2, code);
        AssertOneCleanLine(stderr, message);
    }

    [Theory]
    [InlineData(new[] { "server", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "server", "--encoding", "klingon" }, "unknown encoding 'klingon'")]
    [InlineData(new[] { "server", "--bind", "300.1.1.1" }, "--bind takes an IP address")]
    [InlineData(new[] { "server", "--eol", "lfcr" }, "--eol takes one of none, cr, lf, crlf, got 'lfcr'")]
    [InlineData(new[] { "server", "--engine", "iouring" }, "--engine takes one of auto, epoll, async, uring, got 'iouring'")]
    [InlineData(new[] { "server", "--engine", "uring", "--tls" }, "--engine uring serves plain TCP only: not with --tls or --cert")]
    [InlineData(new[] { "server", "--engine", "epoll", "--tls" }, "--engine epoll serves plain TCP only: not with --tls or --cert")]
    [InlineData(new[] { "server", "--busy-poll", "100us", "--engine", "async" }, "--busy-poll works on the epoll and uring engines only: plain TCP on Linux, not with --tls, --cert or --engine async")]
    [InlineData(new[] { "server", "--busy-poll", "soon" }, "--busy-poll takes a time such as 500ms, 5s or 2m, got 'soon'")]
    [InlineData(new[] { "client", "127.0.0.1", "99999" }, "PORT must be a number from 0 to 65535, got '99999'")]
    [InlineData(new[] { "client", "127.0.0.1", "--connect-timeout", "soon" }, "--connect-timeout takes a time such as 500ms, 5s or 2m, got 'soon'")]
    [InlineData(new[] { "client" }, "Required argument missing")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "server", "--frame", "bogus" }, "--frame: unknown framing 'bogus'")]
    [InlineData(new[] { "server", "--frame-max", "NaN" }, "--frame-max takes a size such as 500k, 10M or 1G, got 'NaN'")]
    [InlineData(new[] { "server", "--oled", "--firmware", "9" }, "--firmware takes one of 2.1, 2.2, 2.3, latest, got '9'")]
    [InlineData(new[] { "udp", "send", "127.0.0.1", "hi", "--interface", "::1" }, "--interface takes an IPv4 address such as 192.168.1.10, got '::1'")]
    [InlineData(new[] { "udp", "send", "127.0.0.1", "hi", "--count", "-1" }, "--count must be a whole number of at least 0, got '-1'")]
    [InlineData(new[] { "bench", "127.0.0.1", "1", "--size", "1.5" }, "--size takes a size from 1 to 16777216 bytes such as 32, 512 or 64k, got '1.5'")]
    [InlineData(new[] { "bench", "127.0.0.1", "1", "--report", "x.txt" }, "--report takes a file name ending in .svg or .html, got 'x.txt'")]
    [InlineData(new[] { "replay", "f.jsonl", "--to", "127.0.0.1:1", "--speed", "-1" }, "--speed takes a number of at least 0 such as 0.5, 1 or 10, got '-1'")]
    [InlineData(new[] { "replay", "f.jsonl", "--to", "127.0.0.1:1", "--connection", "#x" }, "--connection takes a connection number such as 3, got 'x'")]
    [InlineData(new[] { "oled", "hi", "--scale", "0" }, "--scale must be a whole number from 1 to 32, got '0'")]
    // A bad value that a cross-option check also reads: still its own line, not the check's stack trace.
    [InlineData(new[] { "bench", "127.0.0.1", "1", "--duration", "soon" }, "--duration takes a time such as 500ms, 5s or 2m, got 'soon'")]
    [InlineData(new[] { "replay", "f.jsonl", "--to", "127.0.0.1:1", "--timeout", "soon" }, "--timeout takes a time such as 500ms, 5s or 2m, got 'soon'")]
    [InlineData(new[] { "client", "127.0.0.1", "--message", "hi", "--every", "soon" }, "--every takes a time above zero such as 500ms, 2s or 1m, got 'soon'")]
    [InlineData(new[] { "client", "127.0.0.1", "--message", "hi", "--every", "1s", "--count", "x" }, "--count must be a whole number of at least 0, got 'x'")]
    [InlineData(new[] { "client", "127.0.0.1", "--send-file", "x", "--chunk", "2x" }, "--chunk takes a size such as 500k, 10M or 1G, got '2x'")]
    public async Task Bad_arguments(string[] args, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, args);
        Assert.Equal(2, code);
        AssertOneCleanLine(stderr, message);
    }

    [Fact]
    public async Task Address_in_use()
    {
        using Socket taken = RawPeer.Listen();
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "server", "--bind", "127.0.0.1", "--port", RawPeer.PortOf(taken).ToString());
        Assert.Equal(3, code);
        AssertOneCleanLine(stderr, "address already in use");
    }

    [Fact]
    public async Task Permission_denied_on_a_low_port()
    {
        string[] command = CliProcess.Command("server", "--bind", "127.0.0.1", "--port", "81");
        var psi = new System.Diagnostics.ProcessStartInfo(Environment.UserName == "root" ? "setpriv" : command[0]) { RedirectStandardError = true, UseShellExecute = false };
        if (Environment.UserName == "root")
        {
            // Root may bind anything: drop to an unprivileged user for this check.
            foreach (string a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", command[0] })
                psi.ArgumentList.Add(a);
        }
        foreach (string a in command[1..])
            psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string stderr = await p.StandardError.ReadToEndAsync().WaitAsync(Exit);
        await p.WaitForExitAsync().WaitAsync(Exit);
        Assert.Equal(4, p.ExitCode);
        AssertOneCleanLine(stderr, "permission denied");
    }

    [Fact]
    public async Task Connection_refused()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", RawPeer.FreePort().ToString());
        Assert.Equal(5, code);
        AssertOneCleanLine(stderr, "connection refused");
    }

    [Fact]
    public async Task Connect_timeout()
    {
        using Socket listener = RawPeer.Listen(backlog: 1);
        var fillers = new List<Socket>();
        for (int i = 0; i < 8; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try { s.Connect(listener.LocalEndPoint!); } catch (SocketException) { }
            fillers.Add(s);
        }
        await Task.Delay(200); // The accept queue is full now: further SYNs are dropped.
        try
        {
            var (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--connect-timeout", "300ms");
            Assert.Equal(6, code);
            AssertOneCleanLine(stderr, "timed out after 0.3 s");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Unknown_host()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "no-such-host.invalid");
        Assert.Equal(7, code);
        AssertOneCleanLine(stderr, "unknown host 'no-such-host.invalid'");
    }

    [Fact]
    public async Task Address_not_on_this_machine()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "server", "--bind", "192.0.2.123", "--port", "0");
        Assert.Equal(10, code);
        AssertOneCleanLine(stderr, "address not available");
    }

    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    [InlineData("udp")]
    public async Task Help_works_without_required_arguments_and_states_each_default_once(string command)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(Exit, command, "--help");
        Assert.Equal(0, code);
        Assert.Empty(stderr);
        Assert.Contains("Usage:", stdout);
        Assert.DoesNotMatch(@"\[default: [^\]]*\] \[default:", stdout);
        Assert.DoesNotContain("00:00:", stdout);
    }
}
