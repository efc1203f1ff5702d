using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SocketLab.Board.Oled;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

/// <summary>虚拟掌控板 sessions through the API: a real board program on CPython, its console as the log, its OLED, buttons A/B, real sockets.</summary>
public sealed class BoardSessionTests
{
    private static bool Says(JsonElement e, string text) => e.GetProperty("text").GetString() == text;

    private static async Task<string> CreateAsync(UiServer ui) =>
        (await ui.PostAsync("/api/sessions", new { kind = "board" })).GetProperty("id").GetString()!;

    [Fact]
    public async Task Runs_the_program_shows_its_console_and_oled_and_reads_button_a()
    {
        await using UiServer ui = await UiServer.StartAsync();
        string id = await CreateAsync(ui);
        const string program = """
            from mpython import *
            print('hello board')
            oled.DispChar('你好，掌控板', 0, 0)
            oled.show()
            while not button_a.is_pressed():
                sleep_ms(20)
            print('A pressed')
            """;

        JsonElement started = await ui.PostAsync($"/api/sessions/{id}/start", new { program, ip = "127.0.0.1", firmware = "2.2" });
        Assert.Equal("board", started.GetProperty("kind").GetString());
        await ui.WaitForLogAsync(id, e => Says(e, "hello board"));

        var expected = new OledDisplay(firmware: BoardFirmware.V2_2);
        expected.DispChar("你好，掌控板", 0, 0);
        byte[] frame = expected.Show().Bytes.ToArray();
        await Until(async () => (await ui.GetAsync($"/api/sessions/{id}")).GetProperty("oled").GetString() == Convert.ToBase64String(frame));

        await ui.PostAsync($"/api/sessions/{id}/button", new { name = "a", pressed = true }, expect: 204);
        await ui.WaitForLogAsync(id, e => Says(e, "A pressed"));
        await ui.WaitForLogAsync(id, e => Says(e, "the program ended"));
        Assert.Equal("idle", (await ui.GetAsync($"/api/sessions/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Its_sockets_are_real_and_stop_resets_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using UiServer ui = await UiServer.StartAsync();
        string id = await CreateAsync(ui);
        string program = $"""
            import socket
            s = socket.socket()
            s.connect(('127.0.0.1', {port}))
            s.send('hello mPython,I am TCP Client')
            while True:
                pass
            """;

        await ui.PostAsync($"/api/sessions/{id}/start", new { program });
        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var greeting = new byte[29];
        await peer.GetStream().ReadExactlyAsync(greeting).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("hello mPython,I am TCP Client"u8.ToArray(), greeting);

        await ui.PostAsync($"/api/sessions/{id}/stop");
        await ui.WaitForLogAsync(id, e => Says(e, "stopped (reset)"));
        Assert.Equal(0, await peer.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(20))); // its socket closed with it
    }

    [Fact]
    public async Task Bad_starts_and_sends_are_one_line_errors()
    {
        await using UiServer ui = await UiServer.StartAsync();
        string id = await CreateAsync(ui);

        Assert.Equal("no program: paste or open a .py file",
            (await ui.PostAsync($"/api/sessions/{id}/start", new { }, expect: 400)).GetProperty("error").GetString());
        Assert.Equal("firmware must be one of 2.1, 2.2, 2.3, latest, got 'x'",
            (await ui.PostAsync($"/api/sessions/{id}/start", new { program = "pass", firmware = "x" }, expect: 400)).GetProperty("error").GetString());
        Assert.Equal("no program is running",
            (await ui.PostAsync($"/api/sessions/{id}/button", new { name = "a", pressed = true }, expect: 409)).GetProperty("error").GetString());
        // Letting go after the program ended is fine (the page may still think it runs).
        await ui.PostAsync($"/api/sessions/{id}/button", new { name = "a", pressed = false }, expect: 204);
        Assert.Equal("a board program sends with its own sockets; nothing to send from here",
            (await ui.PostAsync($"/api/sessions/{id}/send", new { data = "x" }, expect: 400)).GetProperty("error").GetString());
    }

    private static async Task Until(Func<Task<bool>> done)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
