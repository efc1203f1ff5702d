using System.Net.Sockets;
using Microsoft.Playwright;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>Saving what arrives to a file, sending a file in paced chunks, and field macros in a repeated send.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FilesAndFieldsPageTests(BrowserFixture browser) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Received_data_is_saved_byte_exact_and_downloaded_and_a_file_goes_out_in_paced_chunks()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        await Field(page, "save").CheckAsync();
        await Assertions.Expect(Field(page, "saved-path")).ToContainTextAsync(Path.Combine(_temp.Path, "received", "tcp-server-s1-"));

        byte[] incoming = new byte[300_000];
        new Random(4).NextBytes(incoming);
        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();
        await s.WriteAsync(incoming);
        string path = ui.Host.Sessions.All.Single().SavedPath!;
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(15); new FileInfo(path).Length < incoming.Length; await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "not all saved");
        IDownload download = await page.RunAndWaitForDownloadAsync(() => Field(page, "download-saved").ClickAsync());
        Assert.Equal(incoming, await File.ReadAllBytesAsync(await download.PathAsync()));
        await Field(page, "save").UncheckAsync();
        await Assertions.Expect(Field(page, "saved-path")).ToContainTextAsync("saved to");

        // A file in 1,000-byte chunks 2 ms apart: every byte arrives, in order.
        byte[] file = new byte[20_000];
        new Random(5).NextBytes(file);
        await Field(page, "file-chunk").FillAsync("1000");
        await Field(page, "file-delay").FillAsync("2");
        await Field(page, "file").SetInputFilesAsync(new FilePayload { Name = "fw.bin", MimeType = "application/octet-stream", Buffer = file });
        Assert.Equal(file, await s.ReadExactlyAsync(file.Length));
        await Assertions.Expect(Field(page, "file-note")).ToContainTextAsync("20000 / 20000");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Fields_are_built_anew_for_each_repeated_send()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        int port = await ListenAsync(page, echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await Assertions.Expect(Field(page, "clients").Locator("tbody tr")).ToHaveCountAsync(1);
        await Field(page, "macros").CheckAsync();
        await Field(page, "send-text").FillAsync("n={{counter:10,5}};{{hex:41}}");
        await Field(page, "repeat-ms").FillAsync("20");
        await Field(page, "repeat-count").FillAsync("3");
        await Field(page, "send").ClickAsync();
        Assert.Equal("n=10;An=15;An=20;A"u8.ToArray(), await board.GetStream().ReadExactlyAsync(18));
        await Field(page, "repeat-count").FillAsync("0");
        await Field(page, "repeat-ms").FillAsync("0");
        await Field(page, "send-text").FillAsync("{{nope}}");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("{{nope}} at position 1: unknown field");
        Assert.All(errors, e => Assert.Contains("status of 400", e));
    }

    public void Dispose() => _temp.Dispose();
}
