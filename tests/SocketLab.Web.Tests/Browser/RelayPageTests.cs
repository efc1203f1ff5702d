using System.Net.Sockets;
using Microsoft.Playwright;
using SocketLab.Web.Tests.Infrastructure;
using static SocketLab.Web.Tests.Infrastructure.PageSteps;

namespace SocketLab.Web.Tests.Browser;

/// <summary>The relay tab between a loopback client and a loopback device: both directions in the log, a reset passed through.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RelayPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Both_directions_show_in_the_relay_tab_and_a_device_reset_reaches_the_client()
    {
        await using UiServer ui = await UiServer.StartAsync();
        TcpListener deviceListener = Wire.Listen(out int devicePort);
        (IPage page, List<string> errors) = await browser.NewPageAsync("zh-CN");
        await page.GotoAsync(ui.Host.PageUri.ToString());
        await NewTabAsync(page, "relay");
        await Assertions.Expect(page.Locator(".tab.active .name")).ToHaveTextAsync("中继");
        await Assertions.Expect(Field(page, "send")).ToBeHiddenAsync();
        await Field(page, "address").SelectOptionAsync("127.0.0.1");
        await Field(page, "port").FillAsync("0");
        await Field(page, "device-host").FillAsync("127.0.0.1");
        await Field(page, "device-port").FillAsync(devicePort.ToString());
        await Field(page, "listen").ClickAsync();
        await Assertions.Expect(Field(page, "state")).ToHaveAttributeAsync("data-state", "listening");
        string where = await Field(page, "where").InnerTextAsync();
        int relayPort = int.Parse(System.Text.RegularExpressions.Regex.Match(where, @"^127\.0\.0\.1:(\d+) → 127\.0\.0\.1:\d+$").Groups[1].Value);

        using TcpClient client = await Wire.ConnectAsync(relayPort);
        using TcpClient device = await deviceListener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        NetworkStream toRelay = client.GetStream(), fromRelay = device.GetStream();
        await toRelay.WriteAsync("ping 你好"u8.ToArray());
        Assert.Equal("ping 你好"u8.ToArray(), await fromRelay.ReadExactlyAsync(11));
        await fromRelay.WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong"u8.ToArray(), await toRelay.ReadExactlyAsync(4));

        ILocator log = Field(page, "log");
        await Assertions.Expect(log.Locator(".entry.tx").Filter(new() { HasText = "ping 你好" })).ToHaveCountAsync(1);
        await Assertions.Expect(log.Locator(".entry.rx").Filter(new() { HasText = "pong" })).ToHaveCountAsync(1);
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "已连接，转接到 127.0.0.1:" })).ToHaveCountAsync(1);

        device.Client.LingerState = new LingerOption(true, 0);
        device.Client.Close(); // The socket itself: TcpClient.Close would shut down (FIN) first.
        var buffer = new byte[1];
        IOException reset = await Assert.ThrowsAsync<IOException>(async () => await toRelay.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(SocketError.ConnectionReset, (reset.InnerException as SocketException)?.SocketErrorCode);
        await Assertions.Expect(log.Locator(".entry.info").Filter(new() { HasText = "设备重置了连接（RST → 客户端）" })).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "relay-tab-zh");
        deviceListener.Stop();
        Assert.Empty(errors);
    }
}
