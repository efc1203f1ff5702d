using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Tests.Infrastructure;
using static SocketLab.Tests.Infrastructure.OledPanelReader;

namespace SocketLab.Tests.Commands;

/// <summary><c>server --board</c> and <c>--board-strict</c>: the seed's board server, on real sockets and a real CLI process.</summary>
public class BoardServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var c = new TcpClient { NoDelay = true };
        await c.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Wait);
        return c;
    }

    private static async Task<byte[]> ReadAsync(TcpClient c, int count)
    {
        var buffer = new byte[count];
        await c.GetStream().ReadExactlyAsync(buffer).AsTask().WaitAsync(Wait);
        return buffer;
    }

    private static int Count(CliProcess p, string line) => p.StdoutLines.Count(l => l == line);

    [Fact]
    public async Task Serves_one_client_at_a_time_and_the_next_in_turn_with_accepting_between()
    {
        await using CliProcess server = CliProcess.Start("server", "--board", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        await server.WaitForLineAsync("^accepting\\.\\.\\.\\.\\.$");

        using TcpClient first = await ConnectAsync(port);
        await first.GetStream().WriteAsync("one"u8.ToArray());
        Assert.Equal("one"u8.ToArray(), await ReadAsync(first, 3));

        using TcpClient second = await ConnectAsync(port); // the kernel queues it: connected, not served
        int secondPort = ((IPEndPoint)second.Client.LocalEndPoint!).Port;
        await second.GetStream().WriteAsync("two"u8.ToArray());
        await Task.Delay(500);
        Assert.Equal(0, second.Available);
        Assert.DoesNotContain(server.StdoutLines, l => l.Contains($"{secondPort})", StringComparison.Ordinal));
        Assert.Equal(1, Count(server, "accepting....."));

        first.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("two"u8.ToArray(), await ReadAsync(second, 3)); // its waiting data is served now
        await server.WaitForLineAsync($@"\('127\.0\.0\.1', {secondPort}\) connected$");
        var lines = server.StdoutLines.ToList();
        int closed = lines.FindIndex(l => l.EndsWith("close socket", StringComparison.Ordinal));
        int accepting = lines.FindLastIndex(l => l == "accepting.....");
        int connected = lines.FindIndex(l => l.EndsWith($"{secondPort}) connected", StringComparison.Ordinal));
        Assert.True(closed >= 0 && closed < accepting && accepting < connected, string.Join('\n', lines));
    }

    [Fact]
    public async Task The_oled_shows_only_the_client_being_served()
    {
        await using CliProcess server = CliProcess.Start("server", "--board", "--oled", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        using TcpClient first = await ConnectAsync(port);
        await first.GetStream().WriteAsync("hello"u8.ToArray());
        await ReadAsync(first, 5);
        string[] served = await WaitForPanelAsync(server, panel => AnyInk(panel, 24, 8));

        using TcpClient second = await ConnectAsync(port);
        await second.GetStream().WriteAsync("MMMMMMMMMMMM"u8.ToArray()); // much wider than "hello"
        await Task.Delay(500);
        Assert.Equal(served, Panels(server)[^1]);

        first.Client.Shutdown(SocketShutdown.Send);
        await ReadAsync(second, 12);
        await WaitForPanelAsync(server, panel => panel[24..32].Any(l => l[60..].Trim().Length > 0));
    }

    [Fact]
    public async Task A_long_message_is_said_to_reach_the_board_in_recv_1024_pieces_and_is_echoed_byte_exact()
    {
        await using CliProcess server = CliProcess.Start("server", "--board", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        using TcpClient client = await ConnectAsync(port);
        byte[] message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"{i:D9},")));

        await client.GetStream().WriteAsync(message);

        Assert.Equal(message, await ReadAsync(client, message.Length));
        await server.WaitForLineAsync(@"^board: #1 this message \(3000 bytes\) reaches the board's recv\(1024\) in 3 pieces: it prints and draws each in turn, and its OLED ends on the last$");
    }

    [Fact]
    public async Task A_piece_that_splits_a_character_and_data_that_is_not_utf8_are_said_to_end_the_board_program()
    {
        await using CliProcess server = CliProcess.Start("server", "--board", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();

        using (TcpClient split = await ConnectAsync(port))
        {
            byte[] message = [.. Encoding.ASCII.GetBytes(new string('a', 1023)), .. "你好"u8]; // 你 straddles byte 1024
            await split.GetStream().WriteAsync(message);
            Assert.Equal(message, await ReadAsync(split, message.Length));
            await server.WaitForLineAsync(@"^board: #1 piece 1 of this message ends inside a UTF-8 character: on the board data\.decode\(\) raises UnicodeError");
        }

        using TcpClient gbk = await ConnectAsync(port);
        byte[] text = [0xC4, 0xE3, 0xBA, 0xC3]; // 你好 in GBK
        await gbk.GetStream().WriteAsync(text);
        Assert.Equal(text, await ReadAsync(gbk, text.Length));
        await server.WaitForLineAsync(@"^board: #2 this data is not UTF-8 \(GBK\? MicroPython has no GBK codec\)");
    }

    [Fact]
    public async Task Without_board_options_there_are_no_notices_and_clients_are_served_at_once()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        using TcpClient first = await ConnectAsync(port);
        using TcpClient second = await ConnectAsync(port);
        byte[] gbk = [0xC4, 0xE3, 0xBA, 0xC3];

        await second.GetStream().WriteAsync(gbk);
        Assert.Equal(gbk, await ReadAsync(second, 4));
        await Task.Delay(300);
        Assert.DoesNotContain(server.StdoutLines, l => l.StartsWith("board:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_client_says_so_too_with_board_strict()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--board-strict");
        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(Wait);
        await ReadAsync(peer, 29);

        await peer.GetStream().WriteAsync(new byte[] { 0xC4, 0xE3 });

        await client.WaitForLineAsync(@"^board: #1 this data is not UTF-8");
    }
}
