using System.Net.Sockets;
using System.Text;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

public class ClientCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);
    private static readonly byte[] Greeting = "hello mPython,I am TCP Client"u8.ToArray();

    [Fact]
    public async Task Greets_shows_and_echoes_like_the_seed_then_exits_zero_on_close()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString());
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);

        Assert.Equal(Greeting, await RawPeer.ReadExactlyAsync(peer, Greeting.Length));
        byte[] message = Encoding.UTF8.GetBytes("你好，掌控板");
        await peer.SendAsync(message, SocketFlags.None);
        Assert.Equal(message, await RawPeer.ReadExactlyAsync(peer, message.Length)); // The echo.
        await client.WaitForLineAsync("^你好，掌控板$");

        peer.Shutdown(SocketShutdown.Both);
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
        Assert.Equal("close socket", client.StdoutLines[^1]);
    }

    [Fact]
    public async Task Client_against_server_ping_pongs_the_greeting_until_the_loop_guard_stops_it()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        await using var client = CliProcess.Start("client", "127.0.0.1", port.ToString());
        await client.WaitForLineAsync("^hello mPython,I am TCP Client$");
        await server.WaitForLineAsync("#1 hello mPython,I am TCP Client$");
        // Both sides echo: the greeting goes round, until the loop guard turns echo off (EchoLoopCliTests).
        await server.WaitForLineAsync("#1 echo loop: ");
        Assert.True(server.StdoutLines.Count(l => l.EndsWith("hello mPython,I am TCP Client", StringComparison.Ordinal)) > 1);

        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
        Assert.Contains("close socket", client.StdoutLines);
    }

    [Fact]
    public async Task Interactive_sends_typed_lines_with_the_chosen_eol_and_half_closes_at_end_of_input()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "-i", "--greeting", "", "--eol", "crlf", "--encoding", "gbk");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        await client.StandardInput.WriteLineAsync("AT+你好");
        await client.StandardInput.WriteLineAsync("second");
        client.StandardInput.Close();

        byte[] all = await RawPeer.ReadToEndAsync(peer); // EOF arrives: the client half-closed.
        Assert.Equal(CodePages.Gbk.GetBytes("AT+你好\r\nsecond\r\n"), all);
        await peer.SendAsync("bye"u8.ToArray(), SocketFlags.None); // It still reads after half-close.
        await client.WaitForLineAsync("^bye$");
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Hex_mode_sends_hex_and_shows_a_dump_and_refuses_bad_hex()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "-i", "--hex", "--greeting", "");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        await client.StandardInput.WriteLineAsync("zz 01");
        await client.StandardInput.WriteLineAsync("01 ae ff 00");
        await client.StandardInput.FlushAsync();
        Assert.Equal(new byte[] { 0x01, 0xAE, 0xFF, 0x00 }, await RawPeer.ReadExactlyAsync(peer, 4));
        await client.WaitForLineAsync("bad hex, nothing sent: not a hex digit: 'z' at position 1", stderr: true);

        await peer.SendAsync("hi\r\n"u8.ToArray(), SocketFlags.None);
        await client.WaitForLineAsync(@"^00000000  68 69 0d 0a +\|hi\.\.\|$");
        client.StandardInput.Close();
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Reconnect_backs_off_and_resends_the_greeting_each_time()
    {
        int port = RawPeer.FreePort();
        await using var client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--reconnect", "--backoff", "100ms", "--backoff-max", "400ms", "--no-echo");
        await client.WaitForLineAsync("connection refused.*; reconnecting in", stderr: true);

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        listener.Listen(4);
        for (int round = 0; round < 2; round++)
        {
            using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
            Assert.Equal(Greeting, await RawPeer.ReadExactlyAsync(peer, Greeting.Length));
            peer.Close();
        }
        client.Signal();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
        int refusedLines = client.Stderr.Split('\n').Count(l => l.Contains("refused"));
        Assert.InRange(refusedLines, 1, 40); // Backed off, never spun.
    }

    [Fact]
    public async Task Reset_by_peer_exits_with_its_own_code()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString());
        using (Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit))
        {
            await RawPeer.ReadExactlyAsync(peer, Greeting.Length); // Connected for sure, mid-session now.
            peer.LingerState = new LingerOption(true, 0);
            peer.Close(); // RST
        }
        Assert.Equal(8, await client.WaitForExitAsync(Exit));
        Assert.Contains("close socket (connection reset by peer)", client.Stdout);
    }
}
