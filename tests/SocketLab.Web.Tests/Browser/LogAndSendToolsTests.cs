using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The log's filter and pause, and the send box's repeat and file send, clicked in the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LogAndSendToolsTests(BrowserFixture browser)
{
    [Fact]
    public async Task Filter_pause_repeat_and_file_send_work_from_the_page()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();
        ILocator log = Field(page, "log");

        await s.WriteAsync("temp=21\n"u8.ToArray());
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(1);
        await s.WriteAsync("humidity=40\n"u8.ToArray());
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(2);
        await Field(page, "filter").FillAsync("humid");
        await Assertions.Expect(log.Locator(".entry")).ToHaveCountAsync(1);
        await Field(page, "filter").FillAsync("");

        await Field(page, "pause").ClickAsync();
        await s.WriteAsync("while paused\n"u8.ToArray());
        await Assertions.Expect(Field(page, "paused-note")).ToContainTextAsync("1 new");
        await Assertions.Expect(log.Locator(".entry", new() { HasText = "while paused" })).ToHaveCountAsync(0);
        await Field(page, "pause").ClickAsync();
        await Assertions.Expect(log.Locator(".entry", new() { HasText = "while paused" })).ToHaveCountAsync(1);

        await Field(page, "send-text").FillAsync("tick");
        await Field(page, "eol").SelectOptionAsync("lf");
        await Field(page, "repeat-ms").FillAsync("20");
        await Field(page, "repeat-count").FillAsync("3");
        await Field(page, "send").ClickAsync();
        Assert.Equal("tick\ntick\ntick\n"u8.ToArray(), await s.ReadExactlyAsync(15));

        byte[] file = new byte[100_000];
        new Random(7).NextBytes(file);
        await Field(page, "file").SetInputFilesAsync(new FilePayload { Name = "firmware.bin", MimeType = "application/octet-stream", Buffer = file });
        Assert.Equal(file, await s.ReadExactlyAsync(file.Length));
        await Assertions.Expect(Field(page, "file-note")).ToContainTextAsync("100000 / 100000");
        await BrowserFixture.ScreenshotAsync(page, "log-and-send-tools");
        Assert.Empty(errors);
    }
}
