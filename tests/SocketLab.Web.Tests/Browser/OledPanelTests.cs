using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Board;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Browser;

/// <summary>
/// The OLED panel draws exactly the MONO_VLSB framebuffer the server sends. A stand-in display marks
/// known pixels (it renders no glyphs); the real board model plugs in through the same interface.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OledPanelTests(BrowserFixture browser)
{
    /// <summary>Lights column x of row 48 for each received character, and pixel (127, 0) when listening.</summary>
    private sealed class MarkerDisplay : IBoardDisplay
    {
        private readonly byte[] _fb = new byte[1024];

        public byte[] ServerWaiting(string ipPort)
        {
            _fb[127] |= 0x01;
            return Glass();
        }

        public byte[] ServerReceived(string text)
        {
            for (int x = 0; x < text.Length && x < 128; x++)
                _fb[6 * 128 + x] |= 0x01; // page 6, bit 0 = row 48
            return Glass();
        }

        public byte[] ClientReceived(string text) => Glass();

        public byte[] UdpWaiting(string ipPort) => Glass();

        public byte[] UdpReceived(string text, string fromIp) => Glass();

        public byte[] Glass() => (byte[])_fb.Clone();
    }

    [Fact]
    public async Task The_panel_draws_the_framebuffer_bit_for_bit()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { Screens = () => new MarkerDisplay() });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await PageSteps.ListenAsync(page, echo: true);
        ILocator panel = page.Locator("section.panel.active");
        await Assertions.Expect(panel.GetByTestId("oled-missing")).ToBeHiddenAsync();

        using TcpClient board = await Wire.ConnectAsync(port);
        await board.GetStream().WriteAsync(Encoding.UTF8.GetBytes("abc"));
        await Assertions.Expect(panel.GetByTestId("log").Locator(".entry.rx")).ToContainTextAsync("abc");

        const string lit = """
            ([x, y]) => {
              const c = document.querySelector('section.panel.active canvas.oled');
              const d = c.getContext('2d').getImageData(x * 3 + 1, y * 3 + 1, 1, 1).data;
              return d[0] > 128;
            }
            """;
        await page.WaitForFunctionAsync(lit, new[] { 2, 48 });
        Assert.True(await page.EvaluateAsync<bool>(lit, new[] { 0, 48 }));
        Assert.True(await page.EvaluateAsync<bool>(lit, new[] { 127, 0 }));
        Assert.False(await page.EvaluateAsync<bool>(lit, new[] { 3, 48 }));
        Assert.False(await page.EvaluateAsync<bool>(lit, new[] { 0, 49 }));
        Assert.False(await page.EvaluateAsync<bool>(lit, new[] { 127, 1 }));
        Assert.Empty(errors);
    }
}
