using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// The echo storm of issue #11: two ends that both echo bounce one message for ever. The CLI breaks it with a
/// notice and lets the user turn echo back on; peers that are not echoing are never cut.
/// </summary>
public class EchoLoopCliTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);
    private const string Greeting = "hello mPython,I am TCP Client";
    private const string Notice = "echo loop: the same";

    /// <summary>Sends back everything it receives (the board's tcpClient / tcpServer) until <see cref="Stop"/>.</summary>
    private sealed class BoardEcho(Socket socket)
    {
        private readonly CancellationTokenSource _stop = new();
        private long _bounces;
        public long Bounces => Interlocked.Read(ref _bounces);

        /// <summary>Stops echoing (a pending read is cancelled; the socket stays usable).</summary>
        public void Stop() => _stop.Cancel();

        public async Task RunAsync()
        {
            byte[] buffer = new byte[4096];
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                        return;
                    Interlocked.Increment(ref _bounces);
                    await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
            }
        }
    }

    private static async Task<long> SettledAsync(Func<long> count)
    {
        long seen = count();
        while (true)
        {
            await Task.Delay(500);
            long now = count();
            if (now == seen)
                return now;
            seen = now;
        }
    }

    [Fact]
    public async Task Default_server_and_default_client_stop_bouncing_within_a_second_with_a_notice_on_both_sides()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        await using var client = CliProcess.Start("client", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));

        Match notice = await server.WaitForLineAsync(@"^(\d\d:\d\d:\d\d\.\d\d\d) #1 echo loop: the same 29 bytes arrived (\d+) times in a row in .*; echo to #1 is off now: type '/echo 1 on' to turn it back on, or start with --no-loop-guard$");
        await client.WaitForLineAsync(@"^echo loop: the same 29 bytes arrived \d+ times in a row in .*; echo is off now \(start with --no-loop-guard to keep echoing\)$");

        // Broken within a second of the first greeting, by the server's own clock.
        string firstGreeting = server.StdoutLines.First(l => l.EndsWith("#1 " + Greeting, StringComparison.Ordinal));
        TimeSpan took = TimeSpan.Parse(notice.Groups[1].Value, CultureInfo.InvariantCulture) - TimeSpan.Parse(firstGreeting[..12], CultureInfo.InvariantCulture);
        Assert.True(took < TimeSpan.FromSeconds(1), $"the loop ran for {took}");

        // And it stays broken: a handful of lines, not thousands (21 and 20 greetings normally; a stall over 200 ms
        // on a loaded machine restarts the count).
        long lines = await SettledAsync(() => server.StdoutLines.Count + client.StdoutLines.Count);
        Assert.InRange(server.StdoutLines.Count(l => l.EndsWith(Greeting, StringComparison.Ordinal)), 20, 100);
        Assert.InRange(client.StdoutLines.Count(l => l == Greeting), 20, 100);
        Assert.True(lines < 250, $"{lines} lines");
        Assert.Single(server.StdoutLines, l => l.Contains(Notice, StringComparison.Ordinal));

        // /clients says so, and /echo turns it back on.
        await server.StandardInput.WriteLineAsync("/clients");
        await server.StandardInput.FlushAsync();
        await server.WaitForLineAsync(@"^#1 127\.0\.0\.1:\d+ in \d+ out \d+ since \S+ \(echo off\)$");
        await server.StandardInput.WriteLineAsync("/echo 1 on");
        await server.StandardInput.FlushAsync();
        await server.WaitForLineAsync("^#1: echo on$");

        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Echo_ID_on_turns_echo_back_on_after_a_loop_with_a_board()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        using Socket socket = await RawPeer.ConnectAsync(port);
        var board = new BoardEcho(socket);
        Task echoing = board.RunAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes(Greeting), SocketFlags.None);
        await server.WaitForLineAsync("#1 echo loop: the same 29 bytes arrived");
        long bounces = await SettledAsync(() => board.Bounces);
        Assert.InRange(bounces, 20, 100); // 20 normally (19, then the held echo).

        board.Stop(); // The board now only shows what it gets.
        await echoing;
        await server.StandardInput.WriteLineAsync("/echo 1 on");
        await server.StandardInput.FlushAsync();
        await server.WaitForLineAsync("^#1: echo on$");
        await socket.SendAsync("x1"u8.ToArray(), SocketFlags.None);
        Assert.Equal("x1"u8.ToArray(), await RawPeer.ReadExactlyAsync(socket, 2));

        await server.StandardInput.WriteLineAsync("/echo 9 on");
        await server.StandardInput.FlushAsync();
        await server.WaitForLineAsync("^socketlab: no client #9$", stderr: true);
    }

    [Fact]
    public async Task Peers_that_do_not_echo_are_never_cut()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();

        // Numbered lines at about 1 kHz, read back concurrently: every byte echoed, in order.
        using Socket fast = await RawPeer.ConnectAsync(port);
        byte[] lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i:0000}\n")));
        var sender = new Thread(() => UntilClosed(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                fast.Send(lines.AsSpan(i * 10, 10));
                Thread.Sleep(1);
            }
        })) { IsBackground = true };
        sender.Start();

        // The same dot every 50 ms, as bench/soak_hostile.py's dribbler does every 100 ms, until the test has read
        // 60 echoes: that takes the guard's probes after copies 20 and 60 (the second run needs 40), each cleared only
        // by the next dot. It then ends with a FIN, which is sending too: a dribbler that went quiet right after
        // completing a run (60 dots, then silence) looks exactly like a loop to the guard, by design.
        using Socket dots = await RawPeer.ConnectAsync(port);
        int dotsSent = 0;
        using var enough = new CancellationTokenSource();
        var dribbler = new Thread(() => UntilClosed(() =>
        {
            while (!enough.IsCancellationRequested)
            {
                dots.Send("."u8);
                Interlocked.Increment(ref dotsSent);
                Thread.Sleep(50);
            }
        })) { IsBackground = true };
        dribbler.Start();

        Assert.Equal(lines, await RawPeer.ReadExactlyAsync(fast, lines.Length));
        // A cut peer gets no more echoes: fail on the notice as soon as it shows, not when the read times out.
        Task<byte[]> echoed = RawPeer.ReadExactlyAsync(dots, 60);
        while (await Task.WhenAny(echoed, Task.Delay(100)) != echoed)
            Assert.DoesNotContain(Notice, server.Stdout);
        Assert.Equal(Enumerable.Repeat((byte)'.', 60).ToArray(), await echoed);
        enough.Cancel();
        dribbler.Join();
        sender.Join();
        dots.Shutdown(SocketShutdown.Send);
        fast.Shutdown(SocketShutdown.Send);
        Assert.Equal(Enumerable.Repeat((byte)'.', dotsSent - 60).ToArray(), await RawPeer.ReadToEndAsync(dots));
        Assert.Empty(await RawPeer.ReadToEndAsync(fast));

        // The log is one ordered stream, and a notice comes before its connection's close line: once both closes are
        // shown, any notice would be too (reading it earlier raced with the server's writer).
        await server.WaitForLineAsync(@"#1 close socket$");
        await server.WaitForLineAsync(@"#2 close socket$");
        Assert.DoesNotContain(Notice, server.Stdout);
    }

    /// <summary>Runs a sending thread's loop; a failed test disposes the socket under it, which must not crash the test host.</summary>
    private static void UntilClosed(Action send)
    {
        try
        {
            send();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    [Fact]
    public async Task Bench_against_the_default_server_passes_byte_exact_without_tripping_the_guard()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        foreach (string size in new[] { "1", "32" })
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(TimeSpan.FromSeconds(60),
                "bench", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "-c", "4", "--size", size, "-d", "2s", "--warmup", "0", "--json");
            Assert.True(code == 0, $"bench exited {code}: {stderr}");
            Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("messages").GetInt64() > 100);
        }
        Assert.DoesNotContain(Notice, server.Stdout);
    }

    [Fact]
    public async Task Json_mode_reports_an_echo_loop_event()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--json");
        Match listening = await server.WaitForLineAsync("\"event\":\"listening\".*\"local\":\"127\\.0\\.0\\.1:(\\d+)\"");
        using Socket socket = await RawPeer.ConnectAsync(int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture));
        Task echoing = new BoardEcho(socket).RunAsync();
        await socket.SendAsync("ping\r\n"u8.ToArray(), SocketFlags.None);
        Match m = await server.WaitForLineAsync("^\\{.*\"event\":\"echo_loop\".*\\}$");
        using JsonDocument e = JsonDocument.Parse(m.Value);
        Assert.Equal(1, e.RootElement.GetProperty("id").GetInt64());
        Assert.True(e.RootElement.GetProperty("count").GetInt64() >= 20);
        Assert.Equal(6, e.RootElement.GetProperty("bytes").GetInt64());
        Assert.True(e.RootElement.GetProperty("duration_ms").GetInt64() >= 0);
        Assert.False(e.RootElement.GetProperty("echo").GetBoolean());
        socket.Shutdown(SocketShutdown.Both);
        await echoing;
    }

    [Fact]
    public async Task No_loop_guard_keeps_the_old_behaviour()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--no-loop-guard");
        int port = await server.WaitForPortAsync();
        await using var client = CliProcess.Start("client", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--no-loop-guard");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.StdoutLines.Count < 500)
            await Task.Delay(50, deadline.Token);
        Assert.DoesNotContain(Notice, server.Stdout);
        Assert.DoesNotContain(Notice, client.Stdout);
    }

    [Fact]
    public async Task Interactive_client_with_echo_breaks_the_loop_and_slash_echo_on_turns_it_back_on()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(CultureInfo.InvariantCulture), "-i", "--echo", "--greeting", "hi there");
        using Socket socket = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        var board = new BoardEcho(socket); // The board's tcpServer echoes what it gets.
        Task echoing = board.RunAsync();
        await client.WaitForLineAsync(@"^echo loop: the same 8 bytes arrived \d+ times in a row in .*; echo is off now: type '/echo on' to turn it back on, or start with --no-loop-guard$");
        await SettledAsync(() => board.Bounces);

        board.Stop();
        await echoing;
        await client.StandardInput.WriteLineAsync("/echo on");
        await client.StandardInput.FlushAsync();
        await client.WaitForLineAsync("^socketlab: echo on$", stderr: true);
        await socket.SendAsync("z9"u8.ToArray(), SocketFlags.None);
        Assert.Equal("z9"u8.ToArray(), await RawPeer.ReadExactlyAsync(socket, 2));

        // "//echo on" sends the text "/echo on" (no --eol: nothing appended).
        await client.StandardInput.WriteLineAsync("//echo on");
        await client.StandardInput.FlushAsync();
        Assert.Equal("/echo on"u8.ToArray(), await RawPeer.ReadExactlyAsync(socket, 8));
    }

    [Fact]
    public async Task Udp_listen_echo_breaks_a_loop_with_one_peer_and_slash_echo_turns_it_back_on()
    {
        await using var listen = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--echo");
        Match m = await listen.WaitForLineAsync(@"^127\.0\.0\.1:(\d+)$");
        var target = new IPEndPoint(IPAddress.Loopback, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        using var board = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        board.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource();
        Task bouncing = Task.Run(async () =>
        {
            byte[] buffer = new byte[2048];
            try
            {
                while (true)
                {
                    SocketReceiveFromResult r = await board.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    await board.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, r.RemoteEndPoint, stop.Token);
                }
            }
            catch (OperationCanceledException) { }
        });
        await board.SendToAsync(Encoding.ASCII.GetBytes("hello message from mPython\r\n"), target);
        await listen.WaitForLineAsync(@"^echo loop: the same 28 bytes arrived \d+ times in a row in .*; echo to peer #1 \('127\.0\.0\.1', \d+\) is off now: type '/echo 1 on' to turn it back on, or start with --no-loop-guard$");
        await SettledAsync(() => listen.StdoutLines.Count);
        // 21 normally (20, then the held echo's bounce); a stall over 200 ms on a loaded machine restarts the count.
        Assert.InRange(listen.StdoutLines.Count(l => l.StartsWith("received: hello message from mPython", StringComparison.Ordinal)), 20, 100);
        stop.Cancel();
        await bouncing;

        await listen.StandardInput.WriteLineAsync("/echo 1 on");
        await listen.StandardInput.FlushAsync();
        await listen.WaitForLineAsync("^peer #1: echo on$");
        await board.SendToAsync("again"u8.ToArray(), target);
        byte[] reply = new byte[64];
        using var wait = new CancellationTokenSource(RawPeer.Limit);
        int n;
        do
            n = await board.ReceiveAsync(reply, SocketFlags.None, wait.Token); // Past a last bounce still queued, if any.
        while (!reply.AsSpan(0, n).SequenceEqual("again"u8));
    }
}
