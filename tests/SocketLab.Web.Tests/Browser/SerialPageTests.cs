using Microsoft.Playwright;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The serial tab against a device played by the test on the far end of a socat pty pair.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SerialPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_line_sent_from_the_serial_tab_reaches_the_device_its_answer_is_logged_and_unplugging_says_so()
    {
        await using UiServer ui = await UiServer.StartAsync();
        await using PtyPair pty = await PtyPair.StartAsync();
        await using FileStream device = pty.OpenFar();
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "serial");
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("串口");
        await Field(page, "serial-port").FillAsync(pty.Near);
        await Field(page, "baud").FillAsync("9600");
        await Field(page, "stop-bits").SelectOptionAsync("2");
        await Field(page, "record").CheckAsync();
        await Field(page, "save").CheckAsync();
        await Field(page, "open-port").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "open");
        await Assertions.Expect(Field(page, "where")).ToHaveTextAsync($"{pty.Near} · 9600 8N2");
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = $"{pty.Near} 已打开，9600 8N2" })).ToHaveCountAsync(1);

        await Field(page, "send-text").FillAsync("print(1+1)");
        await Field(page, "eol").SelectOptionAsync("cr");
        await Field(page, "send").ClickAsync();
        byte[] line = new byte[11];
        await Task.Run(() => device.ReadExactly(line)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("print(1+1)\r"u8.ToArray(), line);
        device.Write("2\r\n>>> "u8);
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = ">>>" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "serial-tab-zh");

        pty.Unplug();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle", new() { Timeout = 20_000 });
        await Assertions.Expect(Field(page, "error")).ToContainTextAsync("不见了（USB 被拔掉了？）");
        // The log and the transcript keep what happened.
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = ">>>" })).ToHaveCountAsync(1);
        string path = System.Text.RegularExpressions.Regex.Match(await Field(page, "transcript-path").InnerTextAsync(), @"/\S+\.jsonl").Value;
        await WaitUntilAsync(() => TranscriptReader.ReadFile(path).Any(e => e.Reason == "lost"));
        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(path);
        Assert.Equal("print(1+1)\r"u8.ToArray(), events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.Out).SelectMany(e => e.Data.ToArray()).ToArray());
        Assert.Equal("2\r\n>>> "u8.ToArray(), events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.In).SelectMany(e => e.Data.ToArray()).ToArray());
        string saved = System.Text.RegularExpressions.Regex.Match(await Field(page, "saved-path").InnerTextAsync(), @"/\S+\.bin").Value;
        Assert.Equal("2\r\n>>> "u8.ToArray(), File.ReadAllBytes(saved));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_missing_port_is_one_clear_error_in_the_tab()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (IPage page, List<string> errors) = await browser.NewPageAsync("en-US");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "serial");
        await Field(page, "serial-port").FillAsync("/dev/ttyUSB-socketlab-none");
        await Field(page, "open-port").ClickAsync();
        await Assertions.Expect(Field(page, "error")).ToHaveTextAsync("cannot open /dev/ttyUSB-socketlab-none: no such port (not plugged in?)");
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "idle");
        Assert.DoesNotContain(errors, e => !e.Contains("400", StringComparison.Ordinal));
    }
}
