using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;
using static SocketLab.Tests.Infrastructure.OledPanelReader;

namespace SocketLab.Tests.Commands;

/// <summary><c>--firmware</c> on every OLED: 2.1 (the tutorial's era) always wraps; 2.2 and later clip.</summary>
public class FirmwareOptionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string Greeting = "hello mPython,I am TCP Client";

    [Theory]
    [InlineData("2.1", 29, 16)]     // wraps: every character shown, the last line at y 16
    [InlineData("2.2", 20, 0)]
    [InlineData("latest", 20, 0)]
    public async Task Oled_draws_the_greeting_as_that_firmware_does(string firmware, int shown, int y)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "oled", Greeting, "--json", "--firmware", firmware);

        Assert.True(code == 0, stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(shown, doc.RootElement.GetProperty("shown").GetInt32());
        Assert.Equal(y, doc.RootElement.GetProperty("y").GetInt32());
    }

    [Fact]
    public async Task An_unknown_firmware_is_one_line_and_exit_code_2()
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "oled", "hi", "--firmware", "3.0");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--firmware takes one of 2.1, 2.2, 2.3, latest, got '3.0'", Assert.Single(stderr.Split('\n')));
    }

    [Fact]
    public async Task Firmware_without_oled_is_refused()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "client", "127.0.0.1", "1", "--firmware", "2.1");

        Assert.Equal(2, code);
        Assert.Contains("--firmware sets how the OLED draws and needs --oled", Assert.Single(stderr.Split('\n')));
    }

    [Theory]
    [InlineData("2.1", true)]   // the greeting drawn at (0,48) wraps onto the top line, over ip:port
    [InlineData("latest", false)]
    public async Task Server_panel_on_firmware_2_1_wraps_the_greeting_over_its_address(string firmware, bool topChanges)
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--oled", "--firmware", firmware);
        int port = await server.WaitForPortAsync();
        string[] waiting = await WaitForPanelAsync(server, panel => AnyInk(panel, 0, 8));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(Greeting));
        await client.GetStream().ReadExactlyAsync(new byte[Greeting.Length]).AsTask().WaitAsync(Wait);
        string[] shown = await WaitForPanelAsync(server, panel => AnyInk(panel, 24, 8));

        Assert.Equal(topChanges, !waiting[..8].SequenceEqual(shown[..8]));
    }

    [Fact]
    public async Task The_page_takes_a_default_firmware_and_one_per_session()
    {
        await using CliProcess ui = CliProcess.Start("ui", "--no-history", "--firmware", "2.1");
        Match url = await ui.WaitForLineAsync(@"^(http://127\.0\.0\.1:\d+/)\?token=(\S+)$");
        using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value), Timeout = Wait };
        http.DefaultRequestHeaders.Add("X-SocketLab-Token", url.Groups[2].Value);

        using JsonDocument info = JsonDocument.Parse(await http.GetStringAsync("/api/info"));
        Assert.Equal("2.1", info.RootElement.GetProperty("firmware").GetString());
        Assert.Equal(["2.1", "2.2", "2.3", "latest"], info.RootElement.GetProperty("firmwares").EnumerateArray().Select(e => e.GetString()));

        using HttpResponseMessage created = await http.PostAsJsonAsync("/api/sessions", new { kind = "tcpServer" });
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        using HttpResponseMessage bad = await http.PostAsJsonAsync($"/api/sessions/{id}/start", new { address = "127.0.0.1", port = 0, firmware = "9" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("firmware must be one of 2.1, 2.2, 2.3, latest, got '9'",
            JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());

        ui.Signal();
        Assert.Equal(0, await ui.WaitForExitAsync(Wait));
    }
}
