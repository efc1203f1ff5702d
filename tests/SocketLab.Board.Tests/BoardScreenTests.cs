using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

/// <summary>The seed programs' screens: what is shown, and what the framebuffer holds afterwards.</summary>
public class BoardScreenTests
{
    private static bool AnyLit(Func<int, int, bool> pixel, int y0, int y1, int x0 = 0, int x1 = 128)
    {
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                if (pixel(x, y))
                    return true;
        return false;
    }

    [Fact]
    public void Server_shows_its_address_and_accepting_then_each_message_on_the_bottom_line()
    {
        var d = new OledDisplay();

        OledFrame waiting = BoardScreen.ServerWaiting(d, "127.0.0.1:5001");
        Assert.True(AnyLit(waiting.GetPixel, 0, 16, 0, 85));
        Assert.False(AnyLit(waiting.GetPixel, 0, 16, 85, 128)); // 127.0.0.1:5001 is 85 px wide
        Assert.True(AnyLit(waiting.GetPixel, 16, 32, 0, 77));
        Assert.False(AnyLit(waiting.GetPixel, 32, 64));

        OledFrame got = BoardScreen.ServerReceived(d, "hi");
        Assert.True(AnyLit(got.GetPixel, 48, 64));
        Assert.Equal(Screen.Region(waiting, 0, 0, 128, 32), Screen.Region(got, 0, 0, 128, 32));

        // The strip is cleared after show, so a shorter next message leaves no trace of this one.
        Assert.False(AnyLit(d.Pixel, 48, 64));
        Assert.Same(got, d.Shown);
    }

    [Fact]
    public void Client_clears_the_screen_and_shows_the_text_at_the_top()
    {
        var d = new OledDisplay();
        d.Fill(true);

        OledFrame frame = BoardScreen.ClientReceived(d, "hi");

        Assert.True(AnyLit(frame.GetPixel, 0, 16));
        Assert.False(AnyLit(frame.GetPixel, 16, 64));
        Assert.False(AnyLit(frame.GetPixel, 0, 16, 20, 128));
    }

    [Fact]
    public void Udp_server_shows_the_data_and_the_sender()
    {
        var d = new OledDisplay();

        OledFrame frame = BoardScreen.UdpReceived(d, "hello message from mPython\r\n", "192.168.0.5");

        Assert.False(AnyLit(frame.GetPixel, 0, 15));
        Assert.True(AnyLit(frame.GetPixel, 15, 31));
        Assert.True(AnyLit(frame.GetPixel, 31, 47));
        Assert.False(AnyLit(frame.GetPixel, 47, 64));
    }
}
