using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

public class OledDisplayTests
{
    [Fact]
    public void The_framebuffer_is_mono_vlsb_eight_pages_of_128_bytes()
    {
        var d = new OledDisplay();

        d.Pixel(5, 9, true);   // page 1, bit 1
        d.Pixel(127, 63, true); // last page, last byte, top bit

        Assert.Equal(0b10, d.Buffer[128 + 5]);
        Assert.Equal(0x80, d.Buffer[1023]);
        Assert.Equal(2, d.Buffer.ToArray().Count(b => b != 0));
    }

    [Fact]
    public void Nothing_is_seen_until_show_and_a_shown_frame_never_changes()
    {
        var d = new OledDisplay();
        var seen = new List<OledFrame>();
        d.FrameShown += seen.Add;

        d.FillRect(0, 0, 4, 4, true);
        Assert.False(d.Shown.GetPixel(0, 0));
        Assert.Empty(seen);

        OledFrame frame = d.Show();
        d.Fill(false);

        Assert.Same(frame, Assert.Single(seen));
        Assert.Same(frame, d.Shown);
        Assert.True(frame.GetPixel(3, 3));
        Assert.False(frame.GetPixel(4, 4));
        Assert.False(d.Pixel(3, 3));
    }

    [Fact]
    public void Fill_rect_and_pixel_clip_at_the_edges()
    {
        var d = new OledDisplay();

        d.FillRect(120, 60, 20, 20, true);
        d.Pixel(-1, 0, true);
        d.Pixel(128, 0, true);
        d.Pixel(0, 64, true);

        Assert.Equal(8 * 4, Screen.LitCount(d.Pixel));
        Assert.False(d.Pixel(-1, 0));
    }

    [Fact]
    public void Fill_sets_or_clears_every_pixel()
    {
        var d = new OledDisplay();
        d.Fill(1);
        Assert.Equal(128 * 64, Screen.LitCount(d.Pixel));
        d.FillRect(0, 48, 128, 16, 0);
        Assert.Equal(128 * 48, Screen.LitCount(d.Pixel));
        d.Fill(0);
        Assert.Equal(0, Screen.LitCount(d.Pixel));
    }

    [Fact]
    public void A_frame_round_trips_through_its_bytes()
    {
        var d = new OledDisplay();
        d.DispChar("掌控板 OLED", 0, 20);
        OledFrame frame = d.Show();

        OledFrame copy = OledFrame.FromBytes(frame.Bytes);

        Assert.True(copy.ContentEquals(frame));
        Assert.Throws<ArgumentException>(() => OledFrame.FromBytes(new byte[1023]));
    }

    [Fact]
    public void Result_deconstructs_like_the_boards_tuple()
    {
        var d = new OledDisplay();

        (int width, (int x, int y)) = d.DispChar("127.0.0.1:5001", 0, 16);

        Assert.Equal((85, 85, 16), (width, x, y));
    }
}
