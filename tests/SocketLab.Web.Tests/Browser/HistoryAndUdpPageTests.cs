using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class HistoryAndUdpPageTests(BrowserFixture browser) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "socketlab-history-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Udp_page_sends_hex_and_shows_a_reply_then_history_finds_it_by_text()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int peerPort = ((IPEndPoint)peer.Client.LocalEndPoint!).Port;
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());

        await NewTabAsync(page, "udp");
        await Field(page, "port").FillAsync("0");
        await Field(page, "remote-host").FillAsync("127.0.0.1");
        await Field(page, "remote-port").FillAsync(peerPort.ToString());
        await Field(page, "open").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "open");
        int sessionPort = await ShownPortAsync(page);

        await Field(page, "hex").CheckAsync();
        await Field(page, "send-text").FillAsync("01ae");
        await Field(page, "send").ClickAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(new byte[] { 0x01, 0xae }, (await peer.ReceiveAsync(cts.Token)).Buffer);

        await peer.SendAsync(Encoding.UTF8.GetBytes("来自掌控板的 UDP\r\n"), new IPEndPoint(IPAddress.Loopback, sessionPort));
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToContainTextAsync("来自掌控板的 UDP");
        // The sibling tutorial's udp_server screen: the data at (0,15), "from" + ip at (0,31).
        await OledBits.ExpectAsync(page, new SocketLab.Web.Board.BoardDisplay().UdpReceived("来自掌控板的 UDP\r\n", "127.0.0.1"));
        await BrowserFixture.ScreenshotAsync(page, "udp-page-zh");

        await page.GetByTestId("history-open").ClickAsync();
        await page.GetByTestId("history-q").FillAsync("掌控板");
        await page.GetByTestId("history-search").ClickAsync();
        await Assertions.Expect(page.GetByTestId("history-sessions").Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("history-log").Locator(".entry.rx")).ToContainTextAsync("来自掌控板的 UDP");
        await BrowserFixture.ScreenshotAsync(page, "history-zh");
        Assert.Empty(errors);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
