using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>
/// Everything the page says — log notes, errors, toasts, tab names, the UDP status — in the chosen
/// language, from the server's codes; peers as ip:port, never Python tuples or CLI flags.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LanguageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_chinese_page_words_notes_errors_and_names_in_chinese()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("TCP 服务器");
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.info").First).ToHaveTextAsync(new Regex($"正在监听 127\\.0\\.0\\.1:{port}"));

        using (TcpClient board = await Wire.ConnectAsync(port))
        {
            int boardPort = ((IPEndPoint)board.Client.LocalEndPoint!).Port;
            await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "已连接" })).ToHaveTextAsync(new Regex($"127\\.0\\.0\\.1:{boardPort} 已连接（客户端 #1）"));
        }
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "已断开" })).ToContainTextAsync("对方关闭了连接");
        await Assertions.Expect(log).Not.ToContainTextAsync("('127.0.0.1'");

        // A refused request: worded in Chinese, with no CLI flag in it.
        await Field(page, "send-text").FillAsync("x");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToHaveTextAsync("没有客户端连接");

        // A port already in use: the session's error line says so in Chinese.
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int busy = ((IPEndPoint)taken.LocalEndpoint).Port;
        await NewTabAsync(page, "tcpServer");
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync(busy.ToString());
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "error")).ToHaveTextAsync($"无法在 127.0.0.1:{busy} 监听：端口已被其他程序占用，请换一个端口");
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("端口已被其他程序占用");
        await Assertions.Expect(Field(page, "error")).Not.ToContainTextAsync("--port");

        // The UDP status names the address the board should send to, not the wildcard.
        await NewTabAsync(page, "udp");
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("UDP");
        await Field(page, "port").FillAsync("0");
        await Field(page, "open").ClickAsync();
        await Assertions.Expect(Field(page, "where")).ToHaveTextAsync(new Regex(@"掌控板发往 \d+\.\d+\.\d+\.\d+:\d+$"));
        await Assertions.Expect(Field(page, "where")).Not.ToContainTextAsync("[::]");
        await Assertions.Expect(log.Locator(".entry.info").First).ToContainTextAsync("掌控板应发往");

        // Switching language words what is already on the screen again.
        await page.GetByTestId("lang").SelectOptionAsync("en");
        await Assertions.Expect(log.Locator(".entry.info").First).ToContainTextAsync("the board sends to");
        await Assertions.Expect(page.Locator(".tab").First.Locator(".name")).ToHaveTextAsync("TCP Server");
        await BrowserFixture.ScreenshotAsync(page, "language-switch");
        Assert.All(errors, e => Assert.Contains("status of 4", e));
    }
}
