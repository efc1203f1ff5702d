using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Browser;

/// <summary>Log lines the history could not keep are counted, reported by /api/info and said on the History view.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryDroppedPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_full_disk_is_counted_in_info_and_shown_on_the_history_view()
    {
        using var disk = new SmallDisk("1m");
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = disk.Path });
        Assert.Equal(0, (await ui.GetAsync("/api/info")).GetProperty("historyDropped").GetInt64());

        (string _, int port) = await ui.StartTcpServerAsync(echo: true);
        using TcpClient board = await Wire.ConnectAsync(port);
        var random = new Random(12);
        long dropped = 0;
        for (int i = 0; i < 5000 && dropped == 0; i++)
        {
            byte[] chunk = new byte[2000];
            random.NextBytes(chunk);
            await board.GetStream().WriteAsync(chunk);
            await board.GetStream().ReadExactlyAsync(chunk.Length); // The session echoes on.
            if (i % 20 == 0)
                dropped = (await ui.GetAsync("/api/info")).GetProperty("historyDropped").GetInt64();
        }
        Assert.True(dropped > 0, "the 1 MiB disk never filled");

        // On a phone, in Chinese, as a student would see it.
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN", width: 390, height: 844);
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await page.GetByTestId("history-open").ClickAsync();
        ILocator shown = page.GetByTestId("history-dropped");
        await Assertions.Expect(shown).ToBeVisibleAsync();
        var words = new System.Text.RegularExpressions.Regex(@"^本次运行有 (\d+) 行日志没有存入历史记录");
        await Assertions.Expect(shown).ToContainTextAsync(words);
        long onPage = long.Parse(words.Match((await shown.TextContentAsync())!).Groups[1].Value);
        Assert.True(onPage >= dropped, $"page says {onPage}, info said {dropped} earlier");
        await BrowserFixture.ScreenshotAsync(page, "history-dropped-zh-phone");
        Assert.Empty(errors);
    }
}
