using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>
/// docs/zh-CN.md's walkthrough, done by a test: the seed's two board programs (played by sockets that
/// behave as the tutorial's tcpClient and tcpServer do) against the page in Chinese, at a laptop's and
/// a phone's width. The screenshots in docs/images are these tests' (TestResults/screenshots/zh-*.png).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WalkthroughTests(BrowserFixture browser)
{
    private const string Greeting = "hello mPython,I am TCP Client";

    [Theory]
    [InlineData(1280, 860)]
    [InlineData(390, 844)]
    public async Task The_boards_tcp_client_against_the_pages_tcp_server(int width, int height)
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN", width, height);
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);

        // The tutorial's tcpClient: connect, send the greeting, print and echo whatever arrives.
        using var board = new TcpClient();
        await board.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream s = board.GetStream();
        await s.WriteAsync(Encoding.UTF8.GetBytes(Greeting));
        using var stop = new CancellationTokenSource();
        Task echo = EchoAsync(s, stop.Token);

        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = Greeting })).ToBeVisibleAsync();
        await Field(page, "send-text").FillAsync("你好，掌控板");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "你好，掌控板" })).ToBeVisibleAsync();
        // Sent once, echoed once: no loop, because the page does not echo.
        await Task.Delay(300);
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, $"zh-board-client-{width}");
        stop.Cancel();
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(1280, 860)]
    [InlineData(390, 844)]
    public async Task The_pages_tcp_client_against_the_boards_tcp_server(int width, int height)
    {
        await using UiServer ui = await UiServer.StartAsync();
        // The tutorial's tcpServer: accept, print, echo.
        using TcpListener boardServer = Wire.Listen(out int port);
        using var stop = new CancellationTokenSource();
        Task serving = Task.Run(async () =>
        {
            using TcpClient c = await boardServer.AcceptTcpClientAsync(stop.Token);
            await EchoAsync(c.GetStream(), stop.Token);
        });

        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN", width, height);
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpClient");
        await Field(page, "host").FillAsync("127.0.0.1");
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "connect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = Greeting })).ToBeVisibleAsync();
        await Field(page, "send-text").FillAsync("你好，掌控板");
        await Field(page, "eol").SelectOptionAsync("crlf");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "你好，掌控板" })).ToBeVisibleAsync();
        await OledBits.ExpectAsync(page, new SocketLab.Web.Board.BoardDisplay().ClientReceived("你好，掌控板\r\n"));
        await BrowserFixture.ScreenshotAsync(page, $"zh-board-server-{width}");
        stop.Cancel();
        Assert.Empty(errors);
    }

    private static async Task EchoAsync(NetworkStream s, CancellationToken ct)
    {
        byte[] buffer = new byte[1024];
        try
        {
            int n;
            while ((n = await s.ReadAsync(buffer, ct)) > 0)
                await s.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
