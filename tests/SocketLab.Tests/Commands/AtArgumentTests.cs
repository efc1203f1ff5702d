using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>Arguments starting with '@' are text, not System.CommandLine response files.</summary>
public class AtArgumentTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Oled_draws_an_at_sign_text()
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "oled", "@mPython", "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(8, doc.RootElement.GetProperty("characters").GetInt32());
        Assert.Equal(8, doc.RootElement.GetProperty("shown").GetInt32());
    }

    [Fact]
    public async Task An_at_path_is_drawn_and_the_file_is_not_read_into_the_arguments()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "--json\n--x\n5\n");
        try
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "oled", "@" + file);

            Assert.True(code == 0, stderr);
            Assert.StartsWith("width: ", stdout);                                     // not --json
            Assert.Contains($"shown: ", stdout);
            Assert.Contains($"returns: (", stdout);
            Assert.Contains($" of {file.Length + 1} characters", stdout);             // the path itself, '@' included
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Udp_send_sends_an_at_sign_text()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;

        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", port.ToString(), "@hi");

        Assert.True(code == 0, stderr);
        UdpReceiveResult datagram = await receiver.ReceiveAsync().WaitAsync(Wait);
        Assert.Equal("@hi"u8.ToArray(), datagram.Buffer);
    }

    [Fact]
    public async Task Client_greets_with_an_at_sign_text()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "-g", "@hi");

        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(Wait);
        var greeting = new byte[3];
        await peer.GetStream().ReadExactlyAsync(greeting).AsTask().WaitAsync(Wait);
        Assert.Equal("@hi", Encoding.UTF8.GetString(greeting));

        peer.Client.Shutdown(SocketShutdown.Both);
        Assert.Equal(0, await client.WaitForExitAsync(Wait));
    }
}
