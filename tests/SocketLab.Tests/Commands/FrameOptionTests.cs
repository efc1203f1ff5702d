using System.Net;
using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>--frame on server and client: sticky or split TCP segments show as the messages meant.</summary>
public sealed class FrameOptionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Server_shows_one_line_per_frame_however_the_bytes_arrive_and_echo_stays_byte_exact()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--frame", "line");
        int port = await server.WaitForPortAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);

        byte[] all = "alpha\r\nbe"u8.ToArray();
        await client.SendAsync(all);
        await Task.Delay(100);
        await client.SendAsync("ta\ngamma\ndel"u8.ToArray());
        await server.WaitForLineAsync(@"#1 gamma$");
        Assert.Contains(server.StdoutLines, l => l.EndsWith("#1 alpha", StringComparison.Ordinal));
        Assert.Contains(server.StdoutLines, l => l.EndsWith("#1 beta", StringComparison.Ordinal));

        byte[] echo = new byte[all.Length + 12];
        int n = 0;
        while (n < echo.Length)
            n += await client.ReceiveAsync(echo.AsMemory(n));
        Assert.Equal("alpha\r\nbeta\ngamma\ndel"u8.ToArray(), echo);

        client.Shutdown(SocketShutdown.Send);
        await server.WaitForLineAsync(@"#1 del$"); // The unfinished last message still shows at the close.
    }

    [Fact]
    public async Task Client_shows_length_prefixed_frames()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--greeting", "", "--no-echo", "--frame", "len2be");
        using Socket peer = await listener.AcceptAsync();
        await peer.SendAsync(new byte[] { 0, 5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0, 3, (byte)'a' });
        await Task.Delay(100);
        await peer.SendAsync(new byte[] { (byte)'b', (byte)'c' });
        await client.WaitForLineAsync("^abc$");
        Assert.Equal(["hello", "abc"], client.StdoutLines);
    }

    [Theory]
    [InlineData("len3", "unknown framing 'len3'")]
    [InlineData("fixed:0", "fixed:N needs a length")]
    public async Task Bad_frame_specs_are_one_line_and_exit_code_2(string spec, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "server", "--port", "0", "--frame", spec);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_frame_over_frame_max_warns_once_and_the_connection_is_shown_raw()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--frame", "line", "--frame-max", "8");
        int port = await server.WaitForPortAsync();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        await client.SendAsync("ok\nthis line is far too long"u8.ToArray());
        await server.WaitForLineAsync("#1: --frame line: no delimiter within 8 bytes; showing raw data from here", stderr: true);
        await server.WaitForLineAsync("#1 this line is far too long$");
        Assert.Contains(server.StdoutLines, l => l.EndsWith("#1 ok", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Record_max_size_rotates_the_transcript()
    {
        string dir = Directory.CreateTempSubdirectory("socketlab-rotate-").FullName;
        try
        {
            string record = Path.Combine(dir, "s.jsonl");
            await using (CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--record", record, "--record-max-size", "2k"))
            {
                int port = await server.WaitForPortAsync();
                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await client.ConnectAsync(IPAddress.Loopback, port);
                byte[] buffer = new byte[100];
                for (int i = 0; i < 30; i++)
                {
                    // A different message each time: the same one sent back and forth 20 times is an echo loop to the guard.
                    await client.SendAsync(Enumerable.Repeat((byte)i, 100).ToArray());
                    int n = 0;
                    while (n < 100)
                        n += await client.ReceiveAsync(buffer.AsMemory(n));
                }
                server.Signal();
                Assert.Equal(0, await server.WaitForExitAsync(Wait));
            }
            string[] files = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray()!;
            Assert.Equal(["s.1.jsonl", "s.2.jsonl", "s.3.jsonl", "s.4.jsonl", "s.5.jsonl", "s.jsonl"], files);
            Assert.All(Directory.GetFiles(dir), f => Assert.True(new FileInfo(f).Length <= 2048));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
