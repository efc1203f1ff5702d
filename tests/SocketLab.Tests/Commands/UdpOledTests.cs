using System.Net;
using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;
using static SocketLab.Tests.Infrastructure.OledPanelReader;

namespace SocketLab.Tests.Commands;

/// <summary><c>udp listen --oled</c>: the sibling tutorial's udp_server screen, on a real process and loopback datagrams.</summary>
public class UdpOledTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Shows_its_address_then_each_datagram_at_15_and_the_sender_at_31()
    {
        await using CliProcess listener = CliProcess.Start("udp", "listen", "--port", "0", "--bind", "127.0.0.1", "--oled", "--echo");
        int port = await listener.WaitForPortAsync();
        string[] waiting = await WaitForPanelAsync(listener, panel => AnyInk(panel, 0, 8));
        Assert.False(AnyInk(waiting, 8, 24)); // only "ip:port" at (0,0)

        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] message = "hello message from mPython\r\n"u8.ToArray();
        await sender.SendAsync(message, new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(message, (await sender.ReceiveAsync().WaitAsync(Wait)).Buffer); // echo, byte-exact

        // Cleared: the address is gone; text in rows 15-30 and "from127.0.0.1" in rows 31-46 (panel rows 7-23).
        string[] shown = await WaitForPanelAsync(listener, panel => AnyInk(panel, 16, 8));
        Assert.False(AnyInk(shown, 0, 7));
        Assert.True(AnyInk(shown, 8, 8));
        Assert.False(AnyInk(shown, 24, 8));
    }

    [Fact]
    public async Task Font_and_firmware_need_oled_on_udp_listen_too()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "listen", "--port", "0", "--firmware", "2.1");

        Assert.Equal(2, code);
        Assert.Contains("--firmware sets how the OLED draws and needs --oled", Assert.Single(stderr.Split('\n')));
    }
}
