using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

public sealed class UdpCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Socket LoopbackUdp()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    private static async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(Socket s)
    {
        byte[] buffer = new byte[65536];
        using var cts = new CancellationTokenSource(Wait);
        EndPoint any = new IPEndPoint(s.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        SocketReceiveFromResult r = await s.ReceiveFromAsync(buffer, SocketFlags.None, any, cts.Token);
        return (buffer[..r.ReceivedBytes], (IPEndPoint)r.RemoteEndPoint);
    }

    [Fact]
    public async Task Listen_prints_the_boards_line_for_each_datagram_from_many_peers_and_echoes_byte_exact()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--echo");
        int port = await listener.WaitForPortAsync();
        Assert.Equal("waiting...", listener.StdoutLines[0]);
        var target = new IPEndPoint(IPAddress.Loopback, port);

        using Socket a = LoopbackUdp(), b = LoopbackUdp();
        await a.SendToAsync("hello message from mPython\r\n"u8.ToArray(), target);
        await listener.WaitForLineAsync($@"^received: hello message from mPython\\r\\n from \('127\.0\.0\.1', {PortOf(a)}\)$");
        Assert.Equal("hello message from mPython\r\n"u8.ToArray(), (await ReceiveAsync(a)).Data);

        byte[] binary = [.. Encoding.UTF8.GetBytes("你好"), 0x00, 0xff];
        await b.SendToAsync(binary, target);
        await listener.WaitForLineAsync($@"^received: 你好\\x00\\xFF from \('127\.0\.0\.1', {PortOf(b)}\)$");
        Assert.Equal(binary, (await ReceiveAsync(b)).Data);
    }

    [Fact]
    public async Task Typed_lines_reply_to_the_last_peer_or_to_a_chosen_one_and_bad_lines_are_refused()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--eol", "lf");
        int port = await listener.WaitForPortAsync();
        var target = new IPEndPoint(IPAddress.Loopback, port);

        await listener.StandardInput.WriteLineAsync("too early");
        await listener.StandardInput.FlushAsync();
        await listener.WaitForLineAsync("no peer has sent anything yet", stderr: true);

        using Socket a = LoopbackUdp(), b = LoopbackUdp();
        await a.SendToAsync("from a"u8.ToArray(), target);
        await listener.WaitForLineAsync("received: from a");
        await b.SendToAsync("from b"u8.ToArray(), target);
        await listener.WaitForLineAsync("received: from b");

        await listener.StandardInput.WriteLineAsync("to the last one");
        await listener.StandardInput.WriteLineAsync($"/to 127.0.0.1:{PortOf(a)} to a");
        await listener.StandardInput.WriteLineAsync("/to nowhere x");
        await listener.StandardInput.FlushAsync();
        Assert.Equal("to the last one\n"u8.ToArray(), (await ReceiveAsync(b)).Data);
        Assert.Equal("to a\n"u8.ToArray(), (await ReceiveAsync(a)).Data);
        await listener.WaitForLineAsync("/to: 'nowhere' is neither", stderr: true);
        Assert.False(listener.HasExited);

        await listener.StandardInput.WriteLineAsync("/peers");
        await listener.StandardInput.FlushAsync();
        await listener.WaitForLineAsync($@"^#2 127\.0\.0\.1:{PortOf(b)} in 1 datagrams");
    }

    [Fact]
    public async Task The_closing_summary_counts_everything_that_happened_not_the_live_peer_table()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--echo", "--quiet", "--max-peers", "10");
        int port = await listener.WaitForPortAsync();
        var target = new IPEndPoint(IPAddress.Loopback, port);
        for (int i = 0; i < 30; i++)
        {
            using Socket peer = LoopbackUdp();
            for (int j = 0; j < 2; j++)
            {
                await peer.SendToAsync("ping"u8.ToArray(), SocketFlags.None, target);
                Assert.Equal("ping"u8.ToArray(), (await ReceiveAsync(peer)).Data); // Echoed, forgotten peer or not.
            }
        }
        listener.Signal();
        Assert.Equal(0, await listener.WaitForExitAsync(Wait));
        Assert.Contains("socketlab: 30 peers (20 forgotten: --max-peers 10), 60 datagrams (240 bytes) in, 60 datagrams (240 bytes) out", listener.Stderr);
    }

    [Fact]
    public async Task Send_defaults_to_the_boards_message_and_prints_the_reply()
    {
        using Socket server = LoopbackUdp();
        Task<int> run = Task.Run(async () =>
        {
            await using CliProcess p = CliProcess.Start("udp", "send", "127.0.0.1", PortOf(server).ToString(), "--wait-reply", "5s");
            int code = await p.WaitForExitAsync(Wait);
            Assert.Contains($"received: pong from ('127.0.0.1', {PortOf(server)})", p.Stdout);
            return code;
        });
        (byte[] data, IPEndPoint from) = await ReceiveAsync(server);
        Assert.Equal("hello message from mPython\r\n"u8.ToArray(), data);
        await server.SendToAsync("pong"u8.ToArray(), from);
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Wait_reply_times_out_with_a_clear_message_and_exit_code_6()
    {
        using Socket silent = LoopbackUdp();
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", PortOf(silent).ToString(), "x", "--wait-reply", "300ms");
        Assert.Equal(6, code);
        Assert.Contains($"no reply from 127.0.0.1:{PortOf(silent)} within 0.3 s", stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Every_and_count_send_that_many_datagrams_with_escapes_and_hex()
    {
        using Socket server = LoopbackUdp();
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", PortOf(server).ToString(), @"n\t\x01", "--every", "100ms", "--count", "3");
        Assert.True(code == 0, stderr);
        for (int i = 0; i < 3; i++)
            Assert.Equal("n\t\x01"u8.ToArray(), (await ReceiveAsync(server)).Data);

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", PortOf(server).ToString(), "01ae", "--hex");
        Assert.True(code == 0, stderr);
        Assert.Equal(new byte[] { 0x01, 0xae }, (await ReceiveAsync(server)).Data);
    }

    [Theory]
    [InlineData("zz --hex", "bad hex")]
    [InlineData(@"bad\q", "unknown escape")]
    [InlineData("x --every 0s", "--every takes a time above zero")]
    [InlineData("x --join 10.0.0.1", "--join takes a multicast address")]
    [InlineData("x --count -1", "--count must be a whole number")]
    [InlineData("x --wait-reply soon", "--wait-reply takes a time")]
    [InlineData("x --oled", "Unrecognized command or argument '--oled'")] // Not drawn for UDP yet.
    public async Task Bad_input_is_one_line_and_exit_code_2(string args, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, ["udp", "send", "127.0.0.1", "6000", .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Broadcast_without_the_option_is_refused_and_with_it_arrives()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 0));
        string port = PortOf(listener).ToString();
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.255.255.255", port, "b");
        Assert.Equal(4, code);
        Assert.Contains("needs --broadcast", stderr);

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.255.255.255", port, "b", "--broadcast");
        Assert.True(code == 0, stderr);
        Assert.Equal("b"u8.ToArray(), (await ReceiveAsync(listener)).Data);
    }

    [Fact]
    public async Task Listen_joins_a_multicast_group_and_records_a_transcript()
    {
        string dir = Directory.CreateTempSubdirectory("socketlab-udp-").FullName;
        string record = Path.Combine(dir, "udp.jsonl");
        try
        {
            await using (CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--join", "239.255.42.98", "--interface", "127.0.0.1", "--record", record, "--json"))
            {
                var m = await listener.WaitForLineAsync(@"""event"":""listening"".*""local"":""0\.0\.0\.0:(\d+)""");
                int port = int.Parse(m.Groups[1].Value);
                var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "239.255.42.98", port.ToString(), "to the group", "--interface", "127.0.0.1");
                Assert.True(code == 0, stderr);
                await listener.WaitForLineAsync(@"""event"":""received"".*""text"":""to the group""");
                listener.Signal();
                Assert.Equal(0, await listener.WaitForExitAsync(Wait));
            }
            TranscriptEvent e = Assert.Single(TranscriptReader.ReadFile(record));
            Assert.Equal("udp", e.Protocol);
            Assert.Equal("udp-listen", e.Role);
            Assert.Equal("to the group"u8.ToArray(), e.Data.ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Send_over_IPv6_loopback()
    {
        using var server = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "::1", PortOf(server).ToString(), "six");
        Assert.True(code == 0, stderr);
        Assert.Contains($"sent 3 bytes to [::1]:{PortOf(server)}", stderr);
        Assert.Equal("six"u8.ToArray(), (await ReceiveAsync(server)).Data);
    }

    [Fact]
    public async Task Listen_on_a_port_in_use_is_one_line_and_exit_code_3()
    {
        using Socket taken = LoopbackUdp();
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "udp", "listen", "--bind", "127.0.0.1", "--port", PortOf(taken).ToString());
        Assert.Equal(3, code);
        Assert.Equal($"socketlab: cannot bind UDP 127.0.0.1:{PortOf(taken)}: address already in use (another program is listening there; pick another --port)", stderr.Trim());
    }

    [Fact]
    public async Task Send_records_what_it_sent_and_the_reply()
    {
        string record = Path.Combine(Path.GetTempPath(), $"socketlab-send-{Guid.NewGuid():N}.jsonl");
        try
        {
            using Socket server = LoopbackUdp();
            Task<(int, string, string)> run = CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", PortOf(server).ToString(), "q", "-w", "5s", "--record", record);
            (_, IPEndPoint from) = await ReceiveAsync(server);
            await server.SendToAsync("a"u8.ToArray(), from);
            var (code, _, stderr) = await run;
            Assert.True(code == 0, stderr);
            IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(record);
            Assert.Equal([TranscriptDirection.Out, TranscriptDirection.In], events.Select(e => e.Direction));
            Assert.Equal(["q", "a"], events.Select(e => Encoding.UTF8.GetString(e.Data.Span)));
            Assert.All(events, e => Assert.Equal($"127.0.0.1:{PortOf(server)}", e.Remote));
        }
        finally
        {
            File.Delete(record);
        }
    }
}
