using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>A device developer's send box and log: a Modbus RTU request with its CRC, the replies checked, escapes.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ChecksumPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_modbus_request_goes_out_with_its_crc_and_a_reply_with_a_wrong_crc_is_marked()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using TcpListener device = Wire.Listen(out int port);
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "tcpClient");
        await Field(page, "port").FillAsync(port.ToString());
        await Field(page, "greeting").FillAsync("");
        await Field(page, "connect").ClickAsync();
        using TcpClient gateway = await device.AcceptTcpClientAsync();
        NetworkStream s = gateway.GetStream();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "connected");

        // Read holding registers 0..9 of slave 1: the page appends CRC-16/MODBUS, low byte first.
        await Field(page, "hex").CheckAsync();
        await Field(page, "checksum").SelectOptionAsync("crc16-modbus");
        await Assertions.Expect(Field(page, "checksum-order")).ToBeVisibleAsync();
        await Field(page, "send-text").FillAsync("01 03 00 00 00 0A");
        await Field(page, "send").ClickAsync();
        Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD }, await s.ReadExactlyAsync(8));

        // The device answers twice: a good frame, then one whose last byte was damaged on the way.
        await Field(page, "verify").SelectOptionAsync("crc16-modbus");
        await WaitUntilAsync(() => ui.Host.Sessions.All.Single().Verify is not null);
        byte[] good = [0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9B];
        await s.WriteAsync(good);
        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(1);
        byte[] bad = [0x01, 0x03, 0x02, 0x00, 0x2A, 0x39, 0x9C];
        await s.WriteAsync(bad);
        await Assertions.Expect(log.Locator(".entry.rx")).ToHaveCountAsync(2);
        ILocator marked = log.Locator(".entry.error");
        await Assertions.Expect(marked).ToHaveCountAsync(1);
        await Assertions.Expect(marked).ToContainTextAsync("crc16-modbus wrong in a message from 127.0.0.1");
        await Assertions.Expect(marked).ToContainTextAsync("it ends 39 9c, should be 39 9b");
        await BrowserFixture.ScreenshotAsync(page, "modbus-crc");

        // Escapes in a text send: one raw byte and a character, nothing else.
        await Field(page, "hex").UncheckAsync();
        await Field(page, "checksum").SelectOptionAsync("none");
        await Field(page, "escapes").CheckAsync();
        await Field(page, "send-text").FillAsync(@"AT\x0D\u2103");
        await Field(page, "send").ClickAsync();
        Assert.Equal(Encoding.UTF8.GetBytes("AT\r℃"), await s.ReadExactlyAsync(6));
        await Field(page, "send-text").FillAsync(@"AT\q");
        await Field(page, "send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("unknown escape '\\q' at position 3");
        Assert.True(await s.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));
        Assert.All(errors, e => Assert.Contains("status of 400", e));
    }

}
