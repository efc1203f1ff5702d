using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>
/// The page at a phone's width (a student's 390 px), a small laptop's (1024 px) and a desktop's
/// (1440 px), in both languages: nothing wider than the screen, a log whose text column has room,
/// the OLED inside its card, the send box and History reachable. Screenshots land in TestResults.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser)
{
    public static TheoryData<int, string> Widths => new()
    {
        { 360, "zh-CN" }, { 390, "zh-CN" }, { 390, "en-US" }, { 430, "en-US" }, { 1024, "zh-CN" }, { 1024, "en-US" }, { 1440, "zh-CN" }, { 1440, "en-US" },
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Every_width_fits_the_screen_and_keeps_the_log_readable(int width, string locale)
    {
        string dir = Path.Combine(Path.GetTempPath(), "socketlab-layout-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using UiServer ui = await UiServer.StartAsync(new SocketLab.Web.Hosting.UiHostOptions { DataDirectory = dir });
            (IPage page, List<string> errors) = await browser.NewPageAsync(locale, width, width < 600 ? 844 : 900);
            await page.GotoAsync(ui.Host.PageUri.ToString());
            int port = await ListenAsync(page, echo: false);

            using TcpClient board = await Wire.ConnectAsync(port);
            NetworkStream s = board.GetStream();
            ILocator log = Field(page, "log");
            byte[][] messages =
            [
                Encoding.UTF8.GetBytes("hello mPython,I am TCP Client\r\n"),
                Encoding.UTF8.GetBytes("你好，掌控板！这是一条比较长的消息，用来看看日志在手机上是否会正确换行，而不是把页面撑宽。\r\n"),
                Enumerable.Range(0, 96).Select(i => (byte)i).ToArray(),
            ];
            for (int i = 0; i < messages.Length; i++)
            {
                await s.WriteAsync(messages[i]);
                await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(i + 1);
            }
            await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);

            await ExpectFitsAsync(page, width);
            // The log's text column gets most of the log's width, whatever the layout.
            double logWidth = (await log.BoundingBoxAsync())!.Width;
            double textWidth = (await log.Locator(".entry.rx .c").Nth(1).BoundingBoxAsync())!.Width;
            Assert.True(textWidth >= logWidth * (width < 600 ? 0.85 : 0.45), $"text column {textWidth:0} px of a {logWidth:0} px log");
            // The OLED stays inside its card.
            LocatorBoundingBoxResult oled = (await Field(page, "oled").BoundingBoxAsync())!;
            LocatorBoundingBoxResult card = (await page.Locator("section.panel.active .oledcard").BoundingBoxAsync())!;
            Assert.True(oled.X >= card.X && oled.X + oled.Width <= card.X + card.Width + 0.5, $"OLED {oled.X:0}+{oled.Width:0} outside its card {card.X:0}+{card.Width:0}");
            // The send box is right after the log on a phone, reachable without scrolling past everything else.
            LocatorBoundingBoxResult send = (await Field(page, "send-text").BoundingBoxAsync())!;
            Assert.True(send.X >= 0 && send.X + send.Width <= width, "send box off-screen");
            await BrowserFixture.ScreenshotAsync(page, $"layout-{width}-{locale}");

            await Field(page, "view").SelectOptionAsync("hex");
            await Assertions.Expect(log.Locator(".entry.rx .c.hexdump")).ToHaveCountAsync(3);
            await ExpectFitsAsync(page, width);
            await BrowserFixture.ScreenshotAsync(page, $"layout-{width}-{locale}-hex");

            await page.GetByTestId("history-open").ClickAsync();
            await Assertions.Expect(page.GetByTestId("history-log").Locator(".entry.rx")).ToHaveCountAsync(3);
            await ExpectFitsAsync(page, width);
            LocatorBoundingBoxResult historyLog = (await page.GetByTestId("history-log").BoundingBoxAsync())!;
            Assert.True(historyLog.X >= 0 && historyLog.X + historyLog.Width <= width + 0.5, $"History's log at {historyLog.X:0}+{historyLog.Width:0} is off-screen");
            await BrowserFixture.ScreenshotAsync(page, $"layout-{width}-{locale}-history");
            Assert.Empty(errors);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task ExpectFitsAsync(IPage page, int width)
    {
        int scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide on a {width} px screen");
        // Nothing visible pokes out to the right either (overflow hidden on body would hide it).
        string? outside = await page.EvaluateAsync<string?>(@"w => {
            for (const el of document.querySelectorAll('header *, nav, main:not([hidden]) .card, main:not([hidden]) .card *')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > w + 1 && !el.closest('.log, .scrollx, nav, .hexdump, .history-list')) return el.tagName + '.' + el.className + ' ' + Math.round(r.right);
            }
            return null; }", width);
        Assert.True(outside is null, $"pokes out: {outside}");
    }
}
