using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>What a teacher hit in the page and what it must do instead: each test failed before its fix.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageFixesTests(BrowserFixture browser) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Export_jsonl_from_the_log_and_from_history_saves_json_lines()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await board.GetStream().WriteAsync("hello mPython\r\n"u8.ToArray());
        await Assertions.Expect(Field(page, "log").Locator(".entry.rx")).ToHaveCountAsync(1);

        IDownload fromLog = await page.RunAndWaitForDownloadAsync(() => Field(page, "export-jsonl").ClickAsync());
        AssertJsonLines(await ReadAsync(fromLog), "hello mPython\r\n");

        await page.GetByTestId("history-open").ClickAsync();
        await Assertions.Expect(page.GetByTestId("history-log").Locator(".entry.rx")).ToHaveCountAsync(1);
        IDownload fromHistory = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("history-export-jsonl").ClickAsync());
        AssertJsonLines(await ReadAsync(fromHistory), "hello mPython\r\n");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_client_tab_and_a_server_tab_on_their_defaults_do_not_bounce_the_greeting()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpServer");
        await Assertions.Expect(Field(page, "echo")).Not.ToBeCheckedAsync();
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync("0");
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        int port = await ShownPortAsync(page);

        await NewTabAsync(page, "tcpClient");
        await Assertions.Expect(Field(page, "echo")).Not.ToBeCheckedAsync();
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "connect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");

        // The greeting crosses once and stays there: nothing echoes it back.
        var server = ui.Host.Sessions.All.Single(s => s.Kind == SocketLab.Web.Sessions.SessionKind.TcpServer);
        var client = ui.Host.Sessions.All.Single(s => s.Kind == SocketLab.Web.Sessions.SessionKind.TcpClient);
        await WaitUntilAsync(() => server.Counters.RxCount == 1);
        await Task.Delay(1000);
        Assert.Equal(1, server.Counters.RxCount);
        Assert.Equal(0, server.Counters.TxCount);
        Assert.Equal(0, client.Counters.RxCount);

        var clicked = System.Diagnostics.Stopwatch.StartNew();
        await Field(page, "disconnect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle");
        Assert.True(clicked.Elapsed < TimeSpan.FromSeconds(3), $"disconnect took {clicked.Elapsed}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task After_a_reload_the_forms_show_the_running_settings_and_a_tab_follows_its_newest_line()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: true);
        await NewTabAsync(page, "tcpClient");
        await Field(page, "host").FillAsync("localhost");
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "reconnect").CheckAsync();
        await Field(page, "greeting").FillAsync("hi there");
        await Field(page, "connect").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");

        await page.ReloadAsync();
        await page.Locator(".tab", new() { HasText = "TCP Client" }).ClickAsync();
        await Assertions.Expect(Field(page, "host")).ToHaveValueAsync("localhost");
        await Assertions.Expect(Field(page, "port")).ToHaveValueAsync(port.ToString());
        await Assertions.Expect(Field(page, "reconnect")).ToBeCheckedAsync();
        await Assertions.Expect(Field(page, "greeting")).ToHaveValueAsync("hi there");
        await page.Locator(".tab", new() { HasText = "TCP Server" }).ClickAsync();
        await Assertions.Expect(Field(page, "address")).ToHaveValueAsync("127.0.0.1");
        await Assertions.Expect(Field(page, "port")).ToHaveValueAsync(port.ToString());
        await Assertions.Expect(Field(page, "echo")).ToBeCheckedAsync();

        // Lines arrive on the server tab while the client tab is shown; switching back shows the newest.
        await page.Locator(".tab", new() { HasText = "TCP Client" }).ClickAsync();
        using TcpClient board = await Wire.ConnectAsync(port);
        int total = 0;
        for (int i = 1; i <= 300; i++)
        {
            byte[] line = Encoding.UTF8.GetBytes($"line {i}\n");
            await board.GetStream().WriteAsync(line);
            total += line.Length;
        }
        var server = ui.Host.Sessions.All.Single(s => s.Kind == SocketLab.Web.Sessions.SessionKind.TcpServer);
        // Everything received and echoed: the echo of the last chunk is logged just after it, so wait for it too.
        await WaitUntilAsync(() => server.Counters.RxBytes == total + "hi there".Length && server.Counters.TxBytes == server.Counters.RxBytes);
        long newest = server.Log.All()[^1].Seq;
        await page.Locator(".tab", new() { HasText = "TCP Server" }).ClickAsync();
        ILocator last = Field(page, "log").Locator($".entry[data-seq='{newest}']");
        await Assertions.Expect(last).ToBeInViewportAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Stop_repeat_clears_the_note_in_the_page_the_api_and_after_a_reload()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);
        await Field(page, "send-text").FillAsync("tick");
        await Field(page, "repeat-ms").FillAsync("20");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(Field(page, "repeat-note")).ToContainTextAsync("重复发送中");

        await Field(page, "stop-repeat").ClickAsync();
        await Assertions.Expect(Field(page, "repeat-note")).ToHaveTextAsync("");
        string id = ui.Host.Sessions.All.Single().Id;
        JsonElement view = await ui.GetAsync($"/api/sessions/{id}");
        Assert.True(!view.TryGetProperty("repeat", out JsonElement repeat) || repeat.ValueKind == JsonValueKind.Null, view.ToString());
        await page.ReloadAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        await Assertions.Expect(Field(page, "repeat-note")).ToHaveTextAsync("");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Rename_encoding_switch_hex_sends_and_framed_rules_do_what_the_user_meant()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        string id = ui.Host.Sessions.All.Single().Id;

        // A rename reaches every open page at once.
        await ui.PutAsync($"/api/sessions/{id}/settings", new { title = "Lab bench" });
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("Lab bench");

        // Lines already shown are decoded again when the encoding changes.
        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();
        await s.WriteAsync(SocketLab.Core.Text.TextEncodings.Get("gbk").GetBytes("你好\n"));
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(1);
        await Assertions.Expect(log.Locator(".entry.rx")).Not.ToContainTextAsync("你好");
        await Field(page, "encoding").SelectOptionAsync("gbk");
        await Assertions.Expect(log.Locator(".entry.rx")).ToContainTextAsync("你好");

        // The text box's CRLF does not follow a HEX send: a Modbus frame goes out exactly as typed.
        await Field(page, "eol").SelectOptionAsync("crlf");
        await Field(page, "hex").CheckAsync();
        await Assertions.Expect(Field(page, "eol")).ToHaveValueAsync("none");
        await Field(page, "send-text").FillAsync("01 03 00 00 00 0A C5 CD");
        await Field(page, "send").ClickAsync();
        Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD }, await s.ReadExactlyAsync(8));
        Assert.True(await s.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        await Field(page, "hex").UncheckAsync();
        await Assertions.Expect(Field(page, "eol")).ToHaveValueAsync("crlf");

        // Rules see whole lines: two pings in one TCP chunk get two pongs.
        await Field(page, "framing").SelectOptionAsync("line");
        await Field(page, "add-rule").ClickAsync();
        ILocator rule = page.Locator("section.panel.active .rule");
        await rule.Locator("[data-r=match]").SelectOptionAsync("equals");
        await rule.Locator("[data-r=pattern]").FillAsync("ping");
        await rule.Locator("[data-r=reply]").FillAsync("pong;");
        await Field(page, "save-rules").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToHaveTextAsync("Rules saved");
        await s.WriteAsync("ping\nping\n"u8.ToArray());
        Assert.Equal("pong;pong;"u8.ToArray(), await s.ReadExactlyAsync(10));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_paste_too_large_to_send_says_to_use_send_file()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { MaxRequestBytes = 64 * 1024 });
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);
        await Field(page, "send-text").FillAsync(new string('x', 100 * 1024));
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("发送文件");
        Assert.True(await board.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.All(errors, e => Assert.Contains("413", e));
    }

    [Fact]
    public async Task The_token_leaves_the_address_bar_and_every_link_for_an_http_only_cookie()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        Assert.Equal(ui.Host.BaseUri.ToString(), page.Url);
        BrowserContextCookiesResult cookie = Assert.Single(await page.Context.CookiesAsync());
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal(ui.Host.Token, cookie.Value);
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie || null"));

        await ListenAsync(page, echo: false);
        await Field(page, "record").CheckAsync();
        await Assertions.Expect(Field(page, "download-transcript")).ToHaveAttributeAsync("href", new Regex("^/api/sessions/s1/transcript$"));
        string html = await page.ContentAsync();
        Assert.DoesNotContain(ui.Host.Token, html, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    private static async Task<string> ReadAsync(IDownload download)
    {
        string path = await download.PathAsync();
        return await File.ReadAllTextAsync(path);
    }

    private static void AssertJsonLines(string text, string received)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        JsonElement[] events = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        Assert.Contains(events, e => e.GetProperty("dir").GetString() == "rx" && e.GetProperty("text").GetString() == received);
    }


    public void Dispose() => _temp.Dispose();
}
