using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

public sealed class TcpClientAndUdpSessionTests
{
    [Fact]
    public async Task Client_session_greets_like_the_board_and_logs_what_the_server_sends()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using TcpListener listener = Wire.Listen(out int port);
        string id = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;

        await ui.PostAsync($"/api/sessions/{id}/start", new { host = "127.0.0.1", port, echo = true, greeting = "hello mPython,I am TCP Client" });
        using TcpClient server = await listener.AcceptTcpClientAsync();
        NetworkStream s = server.GetStream();
        Assert.Equal("hello mPython,I am TCP Client"u8.ToArray(), await s.ReadExactlyAsync(29));

        byte[] chinese = Encoding.UTF8.GetBytes("你好，掌控板");
        await s.WriteAsync(chinese);
        Assert.Equal(chinese, await s.ReadExactlyAsync(chinese.Length)); // the session echoes
        await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx" && e.GetProperty("text").GetString() == "你好，掌控板");

        await ui.PostAsync($"/api/sessions/{id}/stop");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await s.ReadAsync(new byte[1], cts.Token));
        Assert.Equal("idle", (await ui.GetAsync($"/api/sessions/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Client_session_to_a_closed_port_reports_refused_without_reconnect()
    {
        await using UiServer ui = await UiServer.StartAsync();
        int closed;
        using (Wire.Listen(out closed)) { }
        string id = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;
        JsonElement error = await ui.PostAsync($"/api/sessions/{id}/start", new { host = "127.0.0.1", port = closed }, expect: 400);
        Assert.Contains("connection refused", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Client_session_reconnects_with_back_off_when_the_server_comes_back()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using TcpListener listener = Wire.Listen(out int port);
        string id = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;
        await ui.PostAsync($"/api/sessions/{id}/start", new { host = "127.0.0.1", port, reconnect = true, greeting = "hi" });

        using (TcpClient first = await listener.AcceptTcpClientAsync())
            Assert.Equal("hi"u8.ToArray(), await first.GetStream().ReadExactlyAsync(2));
        // The first connection was closed by the server: the session dials again and greets again.
        using TcpClient second = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hi"u8.ToArray(), await second.GetStream().ReadExactlyAsync(2));
        await ui.WaitForLogAsync(id, e => e.GetProperty("text").GetString()!.StartsWith("reconnecting to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_session_backs_off_further_from_a_server_that_closes_at_once()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using TcpListener listener = Wire.Listen(out int port);
        using var stop = new CancellationTokenSource();
        Task closer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { (await listener.AcceptTcpClientAsync(stop.Token)).Dispose(); }
                catch (OperationCanceledException) { }
            }
        });
        string id = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;
        await ui.PostAsync($"/api/sessions/{id}/start", new { host = "127.0.0.1", port, reconnect = true });

        // As the CLI does: only a connection that lasted starts the back-off small again. Each wait's
        // ceiling doubles from 0.5 s, so the fourth is at least 2 s (it was under 0.5 s every time).
        List<double> waits = [];
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (waits.Count < 4 && DateTime.UtcNow < deadline)
        {
            JsonElement s = await ui.GetAsync($"/api/sessions/{id}?tail=1000");
            waits = [.. s.GetProperty("log").EnumerateArray()
                .Select(e => e.GetProperty("text").GetString()!)
                .Where(t => t.StartsWith("reconnecting to", StringComparison.Ordinal))
                .Select(t => double.Parse(t.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture))];
            await Task.Delay(100);
        }
        await ui.PostAsync($"/api/sessions/{id}/stop");
        await stop.CancelAsync();
        await closer;
        Assert.True(waits.Count >= 4 && waits[3] >= 2.0, $"waits: {string.Join(", ", waits)}");
    }

    [Fact]
    public async Task Udp_session_sends_and_receives_datagrams_and_receive_only_refuses_to_send()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int peerPort = ((IPEndPoint)peer.Client.LocalEndPoint!).Port;
        string id = (await ui.PostAsync("/api/sessions", new { kind = "udp" })).GetProperty("id").GetString()!;
        JsonElement open = await ui.PostAsync($"/api/sessions/{id}/start", new { port = 0, host = "127.0.0.1", remotePort = peerPort, readTimeoutMs = 200 });
        string local = open.GetProperty("details").GetProperty("local").GetString()!;
        int sessionPort = int.Parse(local[(local.LastIndexOf(':') + 1)..]);

        await ui.PostAsync($"/api/sessions/{id}/send", new { data = "01ae", hex = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        UdpReceiveResult got = await peer.ReceiveAsync(cts.Token);
        Assert.Equal(new byte[] { 0x01, 0xae }, got.Buffer);
        await ui.WaitForLogAsync(id, e => e.GetProperty("text").GetString()!.Contains("read timeout"));

        byte[] message = "hello message from mPython\r\n"u8.ToArray();
        await peer.SendAsync(message, new IPEndPoint(IPAddress.Loopback, sessionPort));
        JsonElement rx = await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx");
        Assert.Equal(message, Convert.FromBase64String(rx.GetProperty("b64").GetString()!));

        // Echo on: the datagram comes back byte-exact, and the log marks the echo.
        await ui.PostAsync($"/api/sessions/{id}/stop");
        open = await ui.PostAsync($"/api/sessions/{id}/start", new { port = 0, echo = true });
        local = open.GetProperty("details").GetProperty("local").GetString()!;
        await peer.SendAsync(new byte[] { 0x00, 0xff, 0x0d }, new IPEndPoint(IPAddress.Loopback, int.Parse(local[(local.LastIndexOf(':') + 1)..])));
        Assert.Equal(new byte[] { 0x00, 0xff, 0x0d }, (await peer.ReceiveAsync(cts.Token)).Buffer);
        await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "tx" && e.GetProperty("echo").GetBoolean());

        await ui.PostAsync($"/api/sessions/{id}/stop");
        await ui.PostAsync($"/api/sessions/{id}/start", new { port = 0, receiveOnly = true });
        JsonElement refused = await ui.PostAsync($"/api/sessions/{id}/send", new { data = "x", remoteHost = "127.0.0.1", remotePort = peerPort }, expect: 409);
        Assert.Contains("receive-only", refused.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Sessions_and_their_logs_outlive_a_page_and_can_be_exported()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using (TcpClient board = await Wire.ConnectAsync(port))
            await board.GetStream().WriteAsync(Encoding.UTF8.GetBytes("你好\r\n"));
        await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx");

        string text = await ui.Http.GetStringAsync($"/api/sessions/{id}/export?format=text");
        Assert.Contains("RX    127.0.0.1:", text);
        Assert.Contains("(8 bytes) 你好␍␊", text);
        string jsonl = await ui.Http.GetStringAsync($"/api/sessions/{id}/export?format=jsonl");
        JsonElement rx = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).First(e => e.GetProperty("dir").GetString() == "rx");
        Assert.Equal("e4 bd a0 e5 a5 bd 0d 0a", rx.GetProperty("hex").GetString());
    }
}
