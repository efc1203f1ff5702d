using Microsoft.Playwright;
using SocketLab.Web.Sessions;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>
/// Echo asked for on both ends (a client tab and a server tab of one page, as a board against an
/// echoing PC end): the loop guard breaks the ping-pong, says why and how to turn echo back on, and
/// nothing that crossed the wire is missing from the counters.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EchoLoopPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_echoing_tabs_stop_bouncing_with_a_notice_and_echo_comes_back_on_request()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: true);
        await NewTabAsync(page, "tcpClient");
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "echo").CheckAsync();
        await Field(page, "connect").ClickAsync();

        // The client tab's own connection is cut: its checkbox unticks and the error line says why.
        await Assertions.Expect(Field(page, "error")).ToContainTextAsync("回显死循环", new() { Timeout = 10_000 });
        await Assertions.Expect(Field(page, "error")).ToContainTextAsync("勾选“回显收到的数据”可重新打开");
        await Assertions.Expect(Field(page, "echo")).Not.ToBeCheckedAsync();

        Session server = ui.Host.Sessions.All.Single(s => s.Kind == SessionKind.TcpServer);
        Session client = ui.Host.Sessions.All.Single(s => s.Kind == SessionKind.TcpClient);
        long settled = server.Counters.RxCount;
        await Task.Delay(1000);
        Assert.InRange(server.Counters.RxCount - settled, 0, 1);
        Assert.InRange(server.Counters.RxCount, 21, 400);
        // Nothing lost: every byte one side sent, the other side counted.
        await WaitUntilAsync(() => server.Counters.RxBytes == client.Counters.TxBytes && client.Counters.RxBytes == server.Counters.TxBytes);

        // The server tab: the client's row says echo is off, and its button turns it back on.
        await page.Locator(".tab").First.ClickAsync();
        await Assertions.Expect(Field(page, "log").Locator(".entry.error")).ToContainTextAsync("回显死循环");
        ILocator echo = Field(page, "clients").GetByTestId("client-echo");
        await Assertions.Expect(echo).ToHaveTextAsync("关");
        await BrowserFixture.ScreenshotAsync(page, "echo-loop-zh");
        await echo.ClickAsync();
        await Assertions.Expect(echo).ToHaveTextAsync("开");

        var clicked = System.Diagnostics.Stopwatch.StartNew();
        await page.Locator(".tab").Last.ClickAsync();
        await Field(page, "disconnect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle");
        Assert.True(clicked.Elapsed < TimeSpan.FromSeconds(3), $"disconnect took {clicked.Elapsed}");
        Assert.Empty(errors);
    }

}
