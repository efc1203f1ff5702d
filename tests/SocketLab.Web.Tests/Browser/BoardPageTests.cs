using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SocketLab.Board.Oled;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The 虚拟掌控板 tab and the TCP server's 像掌控板一样 switch, clicked in the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardPageTests(BrowserFixture browser)
{
    private const string Program = """
        from mpython import *
        import time
        oled.fill(0)
        oled.DispChar('你好，掌控板', 0, 0)
        oled.show()
        print('ready')
        while True:
            if button_a.value() == 0:
                oled.fill(0)
                oled.DispChar('A pressed', 0, 16)
                oled.show()
                print('A')
                break
            time.sleep_ms(20)
        """;

    [Fact]
    public async Task A_board_program_runs_in_its_tab_draws_its_screen_and_reads_button_a()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "board");
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("虚拟掌控板");
        await Assertions.Expect(Field(page, "send")).ToBeHiddenAsync();
        await Field(page, "program").FillAsync(Program);
        await Field(page, "run").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "running");
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "ready" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        var board = new OledDisplay();
        board.DispChar("你好，掌控板", 0, 0);
        await OledBits.ExpectAsync(page, board.Show().Bytes.ToArray());

        await Field(page, "button-a").DispatchEventAsync("pointerdown");
        await Assertions.Expect(log.Locator(".entry.info .c").Filter(new() { HasTextRegex = new Regex("^A$") })).ToHaveCountAsync(1);
        await Field(page, "button-a").DispatchEventAsync("pointerup");
        var pressed = new OledDisplay();
        pressed.DispChar("A pressed", 0, 16);
        await OledBits.ExpectAsync(page, pressed.Show().Bytes.ToArray());
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "程序结束了" })).ToHaveCountAsync(1);
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle");
        await BrowserFixture.ScreenshotAsync(page, "board-tab-zh");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_like_the_board_switch_listens_as_the_seed_does_and_survives_a_reload()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpServer");
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync("0");
        await Field(page, "board-mode").CheckAsync();
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "log").Locator(".entry.info").First).ToContainTextAsync("正在像掌控板一样监听 127.0.0.1:");
        await Assertions.Expect(Field(page, "where")).ToContainTextAsync("像掌控板一样");
        await page.ReloadAsync();
        await Assertions.Expect(Field(page, "board-mode")).ToBeCheckedAsync();
        Assert.Empty(errors);
    }
}
