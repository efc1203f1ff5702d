using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>NetAssist's 多条字符串 in the page: import a list, send one command by click and by key, run it in order against a device, export it; stored in the history's SQLite file.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CommandListPageTests(BrowserFixture browser) : IDisposable
{
    private readonly TempDirectory _temp = new();

    private const string List = """
        { "name": "modbus", "repeat": 1, "commands": [
          { "name": "read", "data": "01 03 00 00 00 0A", "hex": true, "checksum": "crc16-modbus", "expect": "01 03 14", "expectHex": true, "timeoutMs": 2000 },
          { "name": "hello", "data": "hello {{counter}}", "macros": true, "eol": "lf", "expect": "ok", "timeoutMs": 2000 } ] }
        """;

    [Fact]
    public async Task A_list_is_imported_sent_by_click_and_key_run_in_order_and_kept_across_a_restart()
    {
        using TcpListener device = Wire.Listen(out int port);
        await using (UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path }))
        {
            (IPage page, List<string> errors) = await browser.NewPageAsync();
            await page.GotoAsync(ui.Host.PageUri.ToString());
            await NewTabAsync(page, "tcpClient");
            await Field(page, "port").FillAsync(port.ToString());
            await Field(page, "greeting").FillAsync("");
            await Field(page, "connect").ClickAsync();
            using TcpClient gateway = await device.AcceptTcpClientAsync();
            NetworkStream s = gateway.GetStream();

            await Field(page, "list-import").SetInputFilesAsync(new FilePayload { Name = "modbus.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(List) });
            await Assertions.Expect(Field(page, "commands").GetByTestId("command")).ToHaveCountAsync(2);

            // One command by click, one by its number key.
            await Field(page, "commands").GetByTestId("command").First.ClickAsync();
            Assert.Equal(new byte[] { 1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD }, await s.ReadExactlyAsync(8));
            await page.Locator("body").PressAsync("2");
            Assert.Equal("hello 1\n"u8.ToArray(), await s.ReadExactlyAsync(8));

            // In order: each step waits for its expected reply.
            await Field(page, "list-run").ClickAsync();
            Assert.Equal(new byte[] { 1, 3, 0, 0, 0, 0x0A, 0xC5, 0xCD }, await s.ReadExactlyAsync(8));
            await s.WriteAsync(new byte[] { 1, 3, 0x14, 0 });
            Assert.Equal("hello 2\n"u8.ToArray(), await s.ReadExactlyAsync(8));
            await s.WriteAsync("ok\n"u8.ToArray());
            ILocator log = Field(page, "log");
            await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "modbus: every step passed" })).ToHaveCountAsync(1);

            // A reply that does not come: the run stops there and says what came.
            await Field(page, "list-run").ClickAsync();
            await s.ReadExactlyAsync(8);
            await s.WriteAsync(new byte[] { 1, 0x83, 2 });
            await Assertions.Expect(log.Locator(".entry.error").Filter(new() { HasText = "no reply containing 01 03 14 within 2000 ms (got 3 bytes: 01 83 02)" }))
                .ToHaveCountAsync(1, new() { Timeout = 10_000 });

            IDownload exported = await page.RunAndWaitForDownloadAsync(() => Field(page, "list-export").ClickAsync());
            JsonElement json = JsonDocument.Parse(await File.ReadAllTextAsync(await exported.PathAsync())).RootElement;
            Assert.Equal("modbus", json.GetProperty("name").GetString());
            Assert.Equal(2, json.GetProperty("commands").GetArrayLength());
            await BrowserFixture.ScreenshotAsync(page, "command-list");
            Assert.Empty(errors);
        }

        // Kept in history.db: a restarted ui still has it.
        await using UiServer again = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        using HttpResponseMessage lists = await again.Http.GetAsync("/api/lists");
        JsonElement all = JsonDocument.Parse(await lists.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("modbus", Assert.Single(all.EnumerateArray()).GetProperty("name").GetString());

        // A bad list is refused with where the mistake is.
        using HttpResponseMessage bad = await again.Http.PutAsync("/api/lists", new StringContent("""{ "name": "x", "commands": [ { "data": "01", "hex": true, "checksum": "crc9" } ] }"""));
        Assert.Equal(400, (int)bad.StatusCode);
        JsonElement refused = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("commands[0]: checksum: unknown checksum 'crc9'", refused.GetProperty("error").GetString());
        Assert.Equal("badList", refused.GetProperty("code").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
