using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

/// <summary>A TCP server session driven through the API, with a real TcpClient as the board.</summary>
public sealed class TcpServerSessionTests
{
    private static readonly byte[] Chinese = Encoding.UTF8.GetBytes("你好，掌控板\r\n");

    [Fact]
    public async Task Echo_is_byte_exact_and_the_log_holds_the_decoded_text()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();

        byte[] sent = [.. Encoding.UTF8.GetBytes("hello mPython,I am TCP Client"), 0x00, 0xff, .. Chinese];
        await s.WriteAsync(sent);
        Assert.Equal(sent, await s.ReadExactlyAsync(sent.Length));

        JsonElement rx = await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx" && e.GetProperty("text").GetString()!.Contains("掌控板"));
        Assert.StartsWith("hello mPython,I am TCP Client", rx.GetProperty("text").GetString());
        JsonElement session = await ui.GetAsync($"/api/sessions/{id}");
        Assert.Equal(sent.Length, session.GetProperty("rxBytes").GetInt64());
        Assert.Single(session.GetProperty("details").GetProperty("clients").EnumerateArray());
    }

    [Fact]
    public async Task Send_to_one_client_or_all_goes_out_exactly_with_the_chosen_line_ending_and_encoding()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using TcpClient a = await Wire.ConnectAsync(port);
        using TcpClient b = await Wire.ConnectAsync(port);
        await WaitForClientsAsync(ui, id, 2);
        long firstId = (await ui.GetAsync($"/api/sessions/{id}")).GetProperty("details").GetProperty("clients")[0].GetProperty("id").GetInt64();

        await ui.PostAsync($"/api/sessions/{id}/send", new { data = "你好", eol = "crlf", encoding = "gbk", target = firstId.ToString() });
        Assert.Equal(new byte[] { 0xc4, 0xe3, 0xba, 0xc3, 0x0d, 0x0a }, await a.GetStream().ReadExactlyAsync(6));
        Assert.True(await b.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        await ui.PostAsync($"/api/sessions/{id}/send", new { data = "all", eol = "lf", target = "all" });
        Assert.Equal("all\n"u8.ToArray(), await a.GetStream().ReadExactlyAsync(4));
        Assert.Equal("all\n"u8.ToArray(), await b.GetStream().ReadExactlyAsync(4));
    }

    [Fact]
    public async Task Hex_is_sent_exactly_and_bad_hex_is_refused_before_anything_is_sent()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await WaitForClientsAsync(ui, id, 1);

        JsonElement error = await ui.PostAsync($"/api/sessions/{id}/send", new { data = "01 ae zz", hex = true }, expect: 400);
        Assert.Contains("not a hex digit: 'z'", error.GetProperty("error").GetString());
        Assert.True(await board.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        await ui.PostAsync($"/api/sessions/{id}/send", new { data = "01 AE,0xff", hex = true, eol = "cr" });
        Assert.Equal(new byte[] { 0x01, 0xae, 0xff, 0x0d }, await board.GetStream().ReadExactlyAsync(4));
    }

    [Fact]
    public async Task Auto_reply_answers_with_the_rendered_template()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using HttpResponseMessage put = await ui.Http.PutAsJsonAsync($"/api/sessions/{id}/rules", new object[]
        {
            new { match = "regex", pattern = @"^temp=(?<t>\d+)", reply = "ok {{t}} #{{counter}}" },
            new { match = "hex", pattern = "ca fe", reply = "be ef", replyIsHex = true },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        using TcpClient board = await Wire.ConnectAsync(port);
        NetworkStream s = board.GetStream();

        await s.WriteAsync("temp=23"u8.ToArray());
        Assert.Equal("ok 23 #1"u8.ToArray(), await s.ReadExactlyAsync(8));
        await s.WriteAsync("temp=7"u8.ToArray());
        Assert.Equal("ok 7 #2"u8.ToArray(), await s.ReadExactlyAsync(7));
        await s.WriteAsync(new byte[] { 0x00, 0xca, 0xfe });
        Assert.Equal(new byte[] { 0xbe, 0xef }, await s.ReadExactlyAsync(2));

        using HttpResponseMessage bad = await ui.Http.PutAsJsonAsync($"/api/sessions/{id}/rules", new object[] { new { match = "regex", pattern = "(", reply = "x" } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Repeat_sends_the_asked_number_of_times_then_stops()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await WaitForClientsAsync(ui, id, 1);

        await ui.PostAsync($"/api/sessions/{id}/send", new { data = "tick", eol = "lf", repeatMs = 20, repeatCount = 3 });
        Assert.Equal(Encoding.ASCII.GetBytes("tick\ntick\ntick\n"), await board.GetStream().ReadExactlyAsync(15));
        Assert.True(await board.GetStream().StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_file_is_sent_whole_and_kick_closes_the_client()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using TcpClient board = await Wire.ConnectAsync(port);
        await WaitForClientsAsync(ui, id, 1);

        byte[] file = new byte[1_000_000]; // above the 256 KiB JSON limit: the file endpoint has its own
        new Random(4).NextBytes(file);
        using HttpResponseMessage r = await ui.Http.PostAsync($"/api/sessions/{id}/file?name=blob.bin", new ByteArrayContent(file));
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
        Assert.Equal(file, await board.GetStream().ReadExactlyAsync(file.Length));

        long client = (await ui.GetAsync($"/api/sessions/{id}")).GetProperty("details").GetProperty("clients")[0].GetProperty("id").GetInt64();
        await ui.PostAsync($"/api/sessions/{id}/kick/{client}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await board.GetStream().ReadAsync(new byte[1], cts.Token));
        await WaitForClientsAsync(ui, id, 0);
    }

    [Fact]
    public async Task The_websocket_starts_with_a_snapshot_and_then_streams_log_events()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://{ui.Host.BaseUri.Authority}/ws?token={ui.Host.Token}"), CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        JsonElement hello = (await ReceiveAsync(ws, cts.Token))[0];
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Assert.Equal(id, hello.GetProperty("sessions")[0].GetProperty("id").GetString());

        using TcpClient board = await Wire.ConnectAsync(port);
        await board.GetStream().WriteAsync(Chinese);
        while (true)
        {
            foreach (JsonElement e in await ReceiveAsync(ws, cts.Token))
            {
                if (e.GetProperty("type").GetString() == "log" && e.GetProperty("entry").GetProperty("dir").GetString() == "rx")
                {
                    Assert.Equal("你好，掌控板\r\n", e.GetProperty("entry").GetProperty("text").GetString());
                    Assert.Equal(Chinese, Convert.FromBase64String(e.GetProperty("entry").GetProperty("b64").GetString()!));
                    return;
                }
            }
        }
    }

    [Fact]
    public async Task Every_live_event_names_its_session_by_id()
    {
        await using UiServer ui = await UiServer.StartAsync();
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://{ui.Host.BaseUri.Authority}/ws?token={ui.Host.Token}"), CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.Equal("hello", (await ReceiveAsync(ws, cts.Token))[0].GetProperty("type").GetString());

        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        using (TcpClient board = await Wire.ConnectAsync(port))
        {
            await board.GetStream().WriteAsync(Chinese);
            await board.GetStream().ReadExactlyAsync(Chinese.Length);
        }
        await ui.PostAsync($"/api/sessions/{id}/clear");
        var types = new HashSet<string>();
        while (!types.IsSupersetOf(["session", "log", "stats", "cleared"]))
        {
            foreach (JsonElement e in await ReceiveAsync(ws, cts.Token))
            {
                string type = e.GetProperty("type").GetString()!;
                types.Add(type);
                Assert.Equal(JsonValueKind.String, e.GetProperty("session").ValueKind);
                Assert.Equal(id, e.GetProperty("session").GetString());
                if (type == "session")
                    Assert.Equal(id, e.GetProperty("view").GetProperty("id").GetString());
            }
        }
        await ui.Http.DeleteAsync($"/api/sessions/{id}");
        while (!types.Contains("removed"))
        {
            foreach (JsonElement e in await ReceiveAsync(ws, cts.Token))
            {
                types.Add(e.GetProperty("type").GetString()!);
                Assert.Equal(id, e.GetProperty("session").GetString());
            }
        }
    }

    [Fact]
    public async Task A_big_chunk_is_echoed_whole_counted_whole_and_logged_cut()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        using TcpClient board = await Wire.ConnectAsync(port);
        byte[] big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("掌控板", 3000))); // 27,000 bytes
        await board.GetStream().WriteAsync(big);
        Assert.Equal(big, await board.GetStream().ReadExactlyAsync(big.Length));

        JsonElement session = await ui.GetAsync($"/api/sessions/{id}?tail=1000");
        Assert.Equal(big.Length, session.GetProperty("rxBytes").GetInt64());
        JsonElement[] rx = session.GetProperty("log").EnumerateArray().Where(e => e.GetProperty("dir").GetString() == "rx").ToArray();
        Assert.Equal(big.Length, rx.Sum(e => e.GetProperty("len").GetInt32()));
        Assert.All(rx, e => Assert.True(Convert.FromBase64String(e.GetProperty("b64").GetString()!).Length <= SocketLab.Web.Sessions.Session.MaxLoggedBytes));
        // Text stays whole characters even where TCP split a character across reads.
        Assert.All(rx, e => Assert.DoesNotContain("\\x", e.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task The_log_decodes_in_the_chosen_encoding_and_stats_carry_the_rate()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: false);
        using HttpResponseMessage put = await ui.Http.PutAsJsonAsync($"/api/sessions/{id}/settings", new { encoding = "gbk" });
        Assert.True(put.IsSuccessStatusCode);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://{ui.Host.BaseUri.Authority}/ws?token={ui.Host.Token}"), CancellationToken.None);
        using TcpClient board = await Wire.ConnectAsync(port);
        byte[] gbk = [0xc4, 0xe3, 0xba, 0xc3]; // 你好 in GBK
        await board.GetStream().WriteAsync(gbk);

        await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx" && e.GetProperty("text").GetString() == "你好");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            JsonElement[] stats = (await ReceiveAsync(ws, cts.Token))
                .Where(e => e.GetProperty("type").GetString() == "stats" && e.GetProperty("rate").GetProperty("rx").GetInt64() > 0).ToArray();
            if (stats is [JsonElement st, ..])
            {
                // One second's sample holds exactly the 4 bytes.
                Assert.Equal(4, st.GetProperty("rate").GetProperty("rx").GetInt64());
                Assert.Equal(4, st.GetProperty("rxBytes").GetInt64());
                break;
            }
        }
    }

    internal static async Task<JsonElement[]> ReceiveAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        WebSocketReceiveResult r;
        do
        {
            r = await ws.ReceiveAsync(chunk, ct);
            buffer.Write(chunk, 0, r.Count);
        }
        while (!r.EndOfMessage);
        return JsonDocument.Parse(buffer.ToArray()).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    internal static async Task WaitForClientsAsync(UiServer ui, string id, int count)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ui.GetAsync($"/api/sessions/{id}")).GetProperty("details").GetProperty("clients").GetArrayLength() != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} clients");
            await Task.Delay(30);
        }
    }
}
