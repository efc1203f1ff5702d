using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary><c>--print bytes</c>: received data printed as the seed's <c>print(data)</c> does, on real sockets and processes.</summary>
public class PrintBytesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Client_prints_each_read_as_python_bytes_in_recv_1024_pieces_and_echoes_byte_exact()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--print", "bytes");
        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(Wait);
        NetworkStream stream = peer.GetStream();
        await stream.ReadExactlyAsync(new byte[29]).AsTask().WaitAsync(Wait); // the greeting

        byte[] message = [.. "it's 你好\r\n"u8, 0x00, 0xFF];
        await stream.WriteAsync(message);
        await client.WaitForLineAsync(Regex.Escape(@"b""it's \xe4\xbd\xa0\xe5\xa5\xbd\r\n\x00\xff""") + "$");
        var echo = new byte[message.Length];
        await stream.ReadExactlyAsync(echo).AsTask().WaitAsync(Wait);
        Assert.Equal(message, echo);

        // 2,500 bytes sent at once: the board's recv(1024) returns (at most) 1024, 1024 and 452.
        byte[] big = Encoding.ASCII.GetBytes(new string('a', 2500));
        await stream.WriteAsync(big);
        await stream.ReadExactlyAsync(new byte[big.Length]).AsTask().WaitAsync(Wait);
        await client.WaitForLineAsync("^b'a{452}'$");
        Assert.All(client.StdoutLines.Where(l => l.StartsWith("b'aaa", StringComparison.Ordinal)), l => Assert.InRange(l.Length, 4, 1024 + 3));
        Assert.Equal(2500, client.StdoutLines.Where(l => l.StartsWith("b'aaa", StringComparison.Ordinal)).Sum(l => l.Length - 3));

        peer.Client.Shutdown(SocketShutdown.Both);
        Assert.Equal(0, await client.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task Udp_listen_prints_the_boards_received_line_with_python_bytes()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--print", "bytes");
        int port = await listener.WaitForPortAsync();
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int from = ((IPEndPoint)sender.Client.LocalEndPoint!).Port;

        await sender.SendAsync("hello message from mPython\r\n"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, port));

        await listener.WaitForLineAsync(Regex.Escape($@"received: b'hello message from mPython\r\n' from ('127.0.0.1', {from})") + "$");
    }

    [Theory]
    [InlineData("--hex")]
    [InlineData("--json")]
    public async Task Print_bytes_with_another_view_is_refused_in_one_line(string other)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "client", "127.0.0.1", "1", "--print", "bytes", other);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--print bytes is a way to show data; it cannot be combined with", Assert.Single(stderr.Split('\n')));
    }

    [Fact]
    public async Task Print_takes_text_or_bytes()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "listen", "--print", "repr");

        Assert.Equal(2, code);
        Assert.Contains("--print takes one of text, bytes, got 'repr'", Assert.Single(stderr.Split('\n')));
    }
}
