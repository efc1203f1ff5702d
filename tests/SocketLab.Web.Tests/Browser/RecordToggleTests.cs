using System.Net.Sockets;
using Microsoft.Playwright;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The Record toggle clicked in the page: it survives a reload, and the download is the transcript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordToggleTests(BrowserFixture browser) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-record-page-").FullName;

    [Fact]
    public async Task Record_toggle_writes_a_transcript_that_the_page_downloads()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: true);

        await Assertions.Expect(Field(page, "transcript")).ToBeHiddenAsync();
        await Field(page, "record").CheckAsync();
        await Assertions.Expect(Field(page, "transcript-path")).ToContainTextAsync("recording to");
        await Assertions.Expect(Field(page, "transcript-path")).ToContainTextAsync(Path.Combine(_dir, "transcripts", "tcp-server-"));

        byte[] sent = [0x00, 0xff, .. "掌控板\r\n"u8.ToArray()];
        using (TcpClient board = await Wire.ConnectAsync(port))
        {
            await board.GetStream().WriteAsync(sent);
            Assert.Equal(sent, await board.GetStream().ReadExactlyAsync(sent.Length));
        }
        await Assertions.Expect(Field(page, "log").Locator(".entry", new() { HasText = "disconnected" })).ToHaveCountAsync(1);

        // The toggle's state lives in the server: a reload shows it on.
        await page.ReloadAsync();
        await Assertions.Expect(Field(page, "record")).ToBeCheckedAsync();
        await Field(page, "record").UncheckAsync();
        await Assertions.Expect(Field(page, "transcript-path")).ToContainTextAsync("recorded to");

        IDownload download = await page.RunAndWaitForDownloadAsync(() => Field(page, "download-transcript").ClickAsync());
        Assert.Matches(@"^tcp-server-s1-\d{8}-\d{6}\.jsonl$", download.SuggestedFilename);
        string saved = Path.Combine(_dir, "downloaded.jsonl");
        await download.SaveAsAsync(saved);
        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(saved);
        Assert.Equal(TranscriptEventKind.Open, events[0].Kind);
        Assert.Equal("remote_closed", events[^1].Reason);
        Assert.Equal(sent, events.Where(e => e is { Kind: TranscriptEventKind.Data, Direction: TranscriptDirection.In }).SelectMany(e => e.Data.ToArray()));
        Assert.Equal(sent, events.Where(e => e is { Kind: TranscriptEventKind.Data, Echo: true }).SelectMany(e => e.Data.ToArray()));
        await BrowserFixture.ScreenshotAsync(page, "record-toggle");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Record_label_is_translated()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        (IPage page, _) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "udp");
        await Assertions.Expect(Field(page, "record").Locator("xpath=..")).ToHaveTextAsync("记录收发日志（.jsonl）");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
