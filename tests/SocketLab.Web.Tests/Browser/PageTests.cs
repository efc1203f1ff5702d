using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The page in headless chromium against real sockets: what a teacher would click.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Server_page_shows_the_boards_chinese_hello_and_its_reply_reaches_the_client_exactly()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await PageSteps.ListenAsync(page, echo: false);

        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();
        await s.WriteAsync(Encoding.UTF8.GetBytes("hello mPython,I am TCP Client\r\n"));
        await s.WriteAsync(Encoding.UTF8.GetBytes("你好，掌控板\r\n"));

        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "你好，掌控板" })).ToBeVisibleAsync();
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "hello mPython,I am TCP Client" })).ToBeVisibleAsync();
        await Assertions.Expect(log.Locator(".entry.rx .eol").First).ToHaveTextAsync("\\r");
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);

        // The OLED shows what the board's tcpServer would: ip:port, accepting....., the last message at (0,48).
        await s.WriteAsync(Encoding.UTF8.GetBytes("你好，掌控板"));
        await Assertions.Expect(log.Locator(".entry.rx").Last).ToContainTextAsync("你好，掌控板");
        var board_ = new SocketLab.Web.Board.BoardDisplay();
        board_.ServerWaiting($"127.0.0.1:{port}");
        await OledBits.ExpectAsync(page, board_.ServerReceived("你好，掌控板"));

        await Field(page, "send-text").FillAsync("收到 OK");
        await Field(page, "eol").SelectOptionAsync("crlf");
        await Field(page, "send").ClickAsync();
        byte[] expected = Encoding.UTF8.GetBytes("收到 OK\r\n");
        Assert.Equal(expected, await s.ReadExactlyAsync(expected.Length));
        await Assertions.Expect(log.Locator(".entry.tx").Filter(new() { HasText = "收到 OK" })).ToBeVisibleAsync();
        await Assertions.Expect(Field(page, "tx")).ToContainTextAsync($"{expected.Length} ");

        await BrowserFixture.ScreenshotAsync(page, "server-page");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Hex_send_from_the_page_is_exact_and_bad_hex_is_refused_with_a_message()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await PageSteps.ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);

        await Field(page, "hex").CheckAsync();
        await Field(page, "send-text").FillAsync("01 ae zz");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToHaveTextAsync("bad hex: not a hex digit: 'z' at position 7");
        Assert.True(await board.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        await Field(page, "send-text").FillAsync("01 ae ff 00");
        await Field(page, "send").ClickAsync();
        Assert.Equal(new byte[] { 0x01, 0xae, 0xff, 0x00 }, await board.GetStream().ReadExactlyAsync(4));

        await Field(page, "view").SelectOptionAsync("hex");
        await Assertions.Expect(Field(page, "log").Locator(".entry.tx")).ToContainTextAsync("01 ae ff 00");
        await BrowserFixture.ScreenshotAsync(page, "hex-send");
        // The refused request is the only error the browser reports.
        Assert.All(errors, e => Assert.Contains("status of 400", e));
    }

    [Fact]
    public async Task Client_page_connects_to_an_echo_server_greets_and_sees_the_echo()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using TcpListener listener = Wire.Listen(out int port);
        Task echo = EchoOnceAsync(listener);

        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpClient");
        await Field(page, "host").FillAsync("127.0.0.1");
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "echo").UncheckAsync();
        await Assertions.Expect(Field(page, "greeting")).ToHaveValueAsync("hello mPython,I am TCP Client");
        await Field(page, "connect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");

        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "hello mPython,I am TCP Client" })).ToBeVisibleAsync();
        await Field(page, "send-text").FillAsync("你好，掌控板");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "你好，掌控板" })).ToBeVisibleAsync();
        // The board's tcpClient clears the screen and draws what it received at (0,0).
        await OledBits.ExpectAsync(page, new SocketLab.Web.Board.BoardDisplay().ClientReceived("你好，掌控板"));

        await BrowserFixture.ScreenshotAsync(page, "client-page");
        await Field(page, "disconnect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle");
        await echo.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_reload_keeps_running_sessions_and_their_logs()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await PageSteps.ListenAsync(page, echo: true);
        using TcpClient board = await Wire.ConnectAsync(port);
        await board.GetStream().WriteAsync(Encoding.UTF8.GetBytes("before reload"));
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToContainTextAsync("before reload");

        await page.ReloadAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToContainTextAsync("before reload");
        await board.GetStream().WriteAsync(Encoding.UTF8.GetBytes("after reload"));
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx").Last).ToContainTextAsync("after reload");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_page_speaks_chinese_to_a_chinese_browser_and_can_switch()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, _) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpServer");
        await Assertions.Expect(Field(page, "listen")).ToHaveTextAsync("监听");
        await BrowserFixture.ScreenshotAsync(page, "chinese");
        await page.GetByTestId("lang").SelectOptionAsync("en");
        await Assertions.Expect(Field(page, "listen")).ToHaveTextAsync("Listen");
    }

    [Fact]
    public async Task Without_the_token_the_page_cannot_do_anything()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, _) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.BaseUri.ToString());
        await page.GetByTestId("new-tcpServer").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("access token");
        Assert.Empty(ui.Host.Sessions.All);
        await Assertions.Expect(page.GetByTestId("link")).ToHaveClassAsync(new Regex("off"));
    }

    private static async Task EchoOnceAsync(TcpListener listener)
    {
        using TcpClient c = await listener.AcceptTcpClientAsync();
        NetworkStream s = c.GetStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await s.ReadAsync(buffer)) > 0)
            await s.WriteAsync(buffer.AsMemory(0, n));
    }
}
