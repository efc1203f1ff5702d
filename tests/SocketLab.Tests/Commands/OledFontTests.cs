using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Board.Tests;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// <c>--font FILE</c> and <c>SOCKETLAB_OLED_FONT</c> reach every OLED: <c>oled</c>, the server and
/// client panels and the page. The test font draws every printable ASCII character as a solid
/// 5-px block, which the built-in font never does (its top rows are blank).
/// </summary>
public sealed class OledFontTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-font-").FullName;
    private readonly string _solid;

    public OledFontTests()
    {
        var builder = new GuixFontBuilder();
        for (char c = ' '; c <= '~'; c++)
            builder.Solid(c, 5);
        _solid = Path.Combine(_dir, "solid.guix");
        File.WriteAllBytes(_solid, builder.Build());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Env(string path) => new() { ["SOCKETLAB_OLED_FONT"] = path };

    [Fact]
    public async Task Oled_takes_the_font_from_the_option_and_from_the_environment()
    {
        (int code, string stdout, _) = await CliProcess.RunAsync(Wait, "oled", "hi", "--json", "--font", _solid);
        Assert.Equal(0, code);
        Assert.Contains("\"width\":11", stdout); // 5 + 1 + 5

        await using CliProcess fromEnv = CliProcess.Start(["oled", "hi", "--json"], redirectStdin: false, Env(_solid));
        Assert.Equal(0, await fromEnv.WaitForExitAsync(Wait));
        Assert.Contains("\"width\":11", fromEnv.Stdout);

        (_, string builtIn, _) = await CliProcess.RunAsync(Wait, "oled", "hi", "--json");
        Assert.Contains("\"width\":10", builtIn); // h 6 + 1 + i 3, the board's widths
    }

    [Fact]
    public async Task A_bad_font_in_the_environment_is_one_line_naming_it_and_exit_code_2()
    {
        string bad = Path.Combine(_dir, "bad.bin");
        await File.WriteAllTextAsync(bad, "not a font");
        await using CliProcess p = CliProcess.Start(["oled", "hi"], redirectStdin: false, Env(bad));

        Assert.Equal(2, await p.WaitForExitAsync(Wait));
        Assert.Empty(p.Stdout);
        Assert.Equal($"socketlab oled: SOCKETLAB_OLED_FONT={bad}: not a GUIX font (the file must start with 'GUIX')", p.Stderr.Trim());
    }

    [Fact]
    public async Task Server_panel_draws_with_the_font_option()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--oled", "--font", _solid);
        await server.WaitForPortAsync();

        // "127.0.0.1:PORT" in solid 5-px blocks: the very first pixel row is lit from x 0.
        await server.WaitForLineAsync(@"^│█████ █████ █████ ");
    }

    [Fact]
    public async Task Client_panel_draws_with_the_font_from_the_environment()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using CliProcess client = CliProcess.Start(["client", "127.0.0.1", port.ToString(), "--oled"], redirectStdin: true, Env(_solid));
        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(Wait);
        await peer.GetStream().WriteAsync("ok"u8.ToArray());

        await client.WaitForLineAsync(@"^│█████ █████ {117}│$");
    }

    [Fact]
    public async Task Font_without_oled_is_refused_in_one_line()
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "server", "--port", "0", "--font", _solid);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--font sets the OLED's font and needs --oled", Assert.Single(stderr.Split('\n')));
    }

    [Fact]
    public async Task The_page_draws_with_the_font_option_and_names_it_in_info()
    {
        await using CliProcess ui = CliProcess.Start("ui", "--no-history", "--font", _solid);
        Match url = await ui.WaitForLineAsync(@"^(http://127\.0\.0\.1:\d+/)\?token=(\S+)$");
        using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value), Timeout = Wait };
        http.DefaultRequestHeaders.Add("X-SocketLab-Token", url.Groups[2].Value);

        JsonElement info = await JsonAsync(http.GetAsync("/api/info"));
        Assert.Equal("solid.guix", info.GetProperty("oledFont").GetString());

        string id = (await JsonAsync(http.PostAsJsonAsync("/api/sessions", new { kind = "tcpServer" }))).GetProperty("id").GetString()!;
        await JsonAsync(http.PostAsJsonAsync($"/api/sessions/{id}/start", new { address = "127.0.0.1", port = 0 }));
        byte[] glass = Convert.FromBase64String((await JsonAsync(http.GetAsync($"/api/sessions/{id}"))).GetProperty("oled").GetString()!);

        Assert.Equal(0xFF, glass[0]); // x 0, rows 0-7: a solid block; the built-in font leaves them dark

        ui.Signal();
        Assert.Equal(0, await ui.WaitForExitAsync(Wait));
    }

    private static async Task<JsonElement> JsonAsync(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
