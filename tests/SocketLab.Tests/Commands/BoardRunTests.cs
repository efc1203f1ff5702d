using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Board.Oled;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// <c>socketlab board run</c>: the seed tutorial's own board programs, unchanged but for the server
/// address and port (loopback, a free port) in a temporary copy, run on CPython against socketlab's own
/// server and client as real processes; their OLED frames compared byte for byte with what
/// SocketLab.Board draws for the same calls.
/// </summary>
public sealed class BoardRunTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Greeting = "hello mPython,I am TCP Client";
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-board-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Copy(string seedProgram, params (string From, string To)[] rewrites)
    {
        string code = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BoardPrograms", seedProgram));
        foreach ((string from, string to) in rewrites)
        {
            Assert.Contains(from, code);
            code = code.Replace(from, to, StringComparison.Ordinal);
        }
        string path = Path.Combine(_dir, seedProgram);
        File.WriteAllText(path, code);
        return path;
    }

    private static List<JsonElement> Received(CliProcess listener) => listener.StdoutLines
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("event").GetString() == "received")
        .ToList();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<byte[][]> FramesAsync(string path, int count)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            byte[] all = File.Exists(path) ? await File.ReadAllBytesAsync(path) : [];
            if (all.Length >= count * OledFrame.ByteCount)
                return all.Chunk(OledFrame.ByteCount).ToArray();
            Assert.True(DateTime.UtcNow < deadline, $"{all.Length / OledFrame.ByteCount} frames shown, expected {count}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_seed_tcp_client_greets_socketlab_server_shows_what_it_sends_and_echoes_it()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--no-echo");
        int port = await server.WaitForPortAsync();
        string program = Copy("tcpClient.py", ("host = \"172.25.1.63\"", "host = \"127.0.0.1\""), ("port = 5001", $"port = {port}"));
        string frames = Path.Combine(_dir, "frames.bin");
        await using CliProcess board = CliProcess.Start("board", "run", program, "--ip", "127.0.0.1", "--frames", frames);

        await board.WaitForLineAsync(@"^Connection WiFi\.$");
        await board.WaitForLineAsync(@"^WiFi\(ssid,-50dBm\) Connection Successful, Config:\('127\.0\.0\.1', '255\.255\.255\.0', '127\.0\.0\.1', '127\.0\.0\.1'\)$");
        await server.WaitForLineAsync($"#1 {Greeting}$"); // s.send(str): the board's socket takes a str

        await server.StandardInput.WriteLineAsync("你好，掌控板");
        await server.StandardInput.FlushAsync();
        await board.WaitForLineAsync(@"^b'\\xe4\\xbd\\xa0\\xe5\\xa5\\xbd\\xef\\xbc\\x8c\\xe6\\x8e\\x8c\\xe6\\x8e\\xa7\\xe6\\x9d\\xbf'$"); // print(data)
        await server.WaitForLineAsync("#1 你好，掌控板$");                                                       // its echo

        var expected = new OledDisplay();
        byte[] frame = Assert.Single(await FramesAsync(frames, 1));
        Assert.Equal(BoardScreen.ClientReceived(expected, "你好，掌控板").Bytes.ToArray(), frame);

        server.Signal();
        await board.WaitForLineAsync("^close socket$");
        Assert.Equal(0, await board.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task The_seed_tcp_server_shows_its_address_serves_socketlab_client_and_echoes()
    {
        int port = FreePort();
        string program = Copy("tcpServer.py", ("port=5001", $"port={port}"));
        string frames = Path.Combine(_dir, "frames.bin");
        await using CliProcess board = CliProcess.Start("board", "run", program, "--ip", "127.0.0.1", "--frames", frames, "--oled");
        await board.WaitForLineAsync("^tcp waiting...$");
        await board.WaitForLineAsync("^accepting.....$");

        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--no-echo");
        await board.WaitForLineAsync(@"^\('127\.0\.0\.1', \d+\) connected$");
        await board.WaitForLineAsync($"^{Greeting}$");
        await client.WaitForLineAsync($"^{Greeting}$"); // conn.send(data): the echo

        var expected = new OledDisplay();
        byte[][] shown = await FramesAsync(frames, 2);
        Assert.Equal(BoardScreen.ServerWaiting(expected, $"127.0.0.1:{port}").Bytes.ToArray(), shown[0]);
        Assert.Equal(BoardScreen.ServerReceived(expected, Greeting).Bytes.ToArray(), shown[1]);
        Assert.Contains(board.StdoutLines, l => l.StartsWith("┌─ mPython OLED", StringComparison.Ordinal)); // --oled draws it too

        client.Signal();
        await board.WaitForLineAsync("^close socket$");
        await board.WaitForLineAsync("^accepting.....$"); // back to accept, one client at a time
        board.Signal();
        Assert.Equal(0, await board.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task The_udp_client_sends_the_boards_message_every_2_s_to_socketlab_udp_listen()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--json");
        Match listening = await listener.WaitForLineAsync("\"event\":\"listening\".*\"local\":\"127\\.0\\.0\\.1:(\\d+)\"");
        int port = int.Parse(listening.Groups[1].Value);
        string program = Copy("udp_client.py", ("(\"192.168.0.3\", 6000)", $"(\"127.0.0.1\", {port})"));
        await using CliProcess board = CliProcess.Start("board", "run", program, "--ip", "127.0.0.1");

        DateTime deadline = DateTime.UtcNow + Wait;
        List<JsonElement> received;
        while ((received = Received(listener)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "fewer than two datagrams");
            await Task.Delay(50);
        }
        Assert.All(received, e => Assert.Equal("hello message from mPython\r\n", e.GetProperty("text").GetString()));
        TimeSpan between = received[1].GetProperty("time").GetDateTimeOffset() - received[0].GetProperty("time").GetDateTimeOffset();
        Assert.InRange(between.TotalSeconds, 1.8, 3.0); // sleep(2)

        board.Signal();
        Assert.Equal(0, await board.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task The_udp_server_prints_and_shows_what_socketlab_udp_send_sends()
    {
        int port = FreePort();
        string program = Copy("udp_server.py", ("s.bind((ip, 6000))", $"s.bind((ip, {port}))"));
        string frames = Path.Combine(_dir, "frames.bin");
        await using CliProcess board = CliProcess.Start("board", "run", program, "--ip", "127.0.0.1", "--frames", frames);
        await board.WaitForLineAsync("^waiting...$");

        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", port.ToString(), "--local-port", "0");
        Assert.True(code == 0, stderr);
        await board.WaitForLineAsync(@"^received: b'hello message from mPython\\r\\n' from \('127\.0\.0\.1', \d+\)$");

        var expected = new OledDisplay();
        byte[][] shown = await FramesAsync(frames, 2);
        Assert.Equal(BoardScreen.UdpWaiting(expected, "127.0.0.1:6000").Bytes.ToArray(), shown[0]); // it draws "%s:6000" as written
        Assert.Equal(BoardScreen.UdpReceived(expected, "hello message from mPython\r\n", "127.0.0.1").Bytes.ToArray(), shown[1]);

        board.Signal();
        Assert.Equal(0, await board.WaitForExitAsync(Wait));
    }

    [Theory]
    [InlineData("2.2", "你好")]
    [InlineData("2.3", " 你好")]
    [InlineData("latest", " 你好")]
    public async Task Firmware_2_3_and_later_print_a_space_before_a_line_starting_with_a_cjk_ideograph(string firmware, string printed)
    {
        string program = Path.Combine(_dir, "hello.py");
        await File.WriteAllTextAsync(program, "from mpython import *\nprint('你好')\nprint(oled.DispChar('你好', 0, 0))\n");

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "board", "run", program, "--firmware", firmware);

        Assert.True(code == 0, stderr);
        Assert.Equal([printed, "(23, (23, 0))"], stdout.Split('\n'));
    }

    [Fact]
    public async Task A_missing_python_is_one_line_saying_what_to_install_and_exit_code_17()
    {
        string program = Path.Combine(_dir, "p.py");
        await File.WriteAllTextAsync(program, "print('hi')\n");

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "board", "run", program, "--python", "/nonexistent/python3");

        Assert.Equal(17, code);
        Assert.Empty(stdout);
        Assert.Equal("socketlab board run: /nonexistent/python3 not found: install Python 3 (Debian/Ubuntu: apt install python3; Windows, macOS: python.org) or name one with --python", stderr.Trim());
    }

    [Fact]
    public async Task A_python_that_cannot_start_is_one_line_and_exit_code_17()
    {
        string program = Path.Combine(_dir, "p.py");
        string notRunnable = Path.Combine(_dir, "python3");
        await File.WriteAllTextAsync(program, "print('hi')\n");
        await File.WriteAllTextAsync(notRunnable, "not a program\n"); // no execute permission

        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "board", "run", program, "--python", notRunnable);

        Assert.Equal(17, code);
        Assert.Empty(stdout);
        Assert.StartsWith($"socketlab board run: cannot start {notRunnable}: ", Assert.Single(stderr.Trim().Split('\n')));
    }

    [Fact]
    public async Task A_missing_program_is_one_line_and_exit_code_12()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "board", "run", Path.Combine(_dir, "nope.py"));

        Assert.Equal(12, code);
        Assert.Equal($"socketlab board run: cannot read '{Path.Combine(_dir, "nope.py")}': no such file", stderr.Trim());
    }
}
