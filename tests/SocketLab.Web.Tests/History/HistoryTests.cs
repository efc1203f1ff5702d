using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SocketLab.Web.History;
using SocketLab.Web.Hosting;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.History;

public sealed class HistoryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "socketlab-history-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_event_is_stored_and_found_again_after_a_restart()
    {
        byte[] hello = Encoding.UTF8.GetBytes("你好，掌控板\r\n");
        await using (UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir }))
        {
            (string id, int port) = await ui.StartTcpServerAsync(echo: true);
            using TcpClient board = await Wire.ConnectAsync(port);
            await board.GetStream().WriteAsync(hello);
            Assert.Equal(hello, await board.GetStream().ReadExactlyAsync(hello.Length));
            await ui.WaitForLogAsync(id, e => e.GetProperty("dir").GetString() == "rx");
        }

        await using UiServer again = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        JsonElement found = await again.GetAsync("/api/history/sessions?q=" + Uri.EscapeDataString("掌控板"));
        JsonElement session = Assert.Single(found.EnumerateArray());
        Assert.Equal("tcpServer", session.GetProperty("kind").GetString());
        Assert.False(session.GetProperty("named").GetBoolean()); // The page shows "TCP 服务器" or "TCP Server" for it.
        Assert.False(session.GetProperty("current").GetBoolean());
        Assert.Empty((await again.GetAsync("/api/history/sessions?q=nothing-like-this")).EnumerateArray());

        long pastId = session.GetProperty("id").GetInt64();
        JsonElement page = await again.GetAsync($"/api/history/sessions/{pastId}/events");
        JsonElement[] events = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("entry")).ToArray();
        Assert.Equal(events.Length, page.GetProperty("total").GetInt64());
        JsonElement rx = events.Single(e => e.GetProperty("dir").GetString() == "rx");
        Assert.Equal(hello, Convert.FromBase64String(rx.GetProperty("b64").GetString()!));
        Assert.Contains(events, e => e.GetProperty("dir").GetString() == "tx" && e.GetProperty("echo").GetBoolean());
        Assert.Contains(events, e => e.GetProperty("text").GetString()!.StartsWith("listening on", StringComparison.Ordinal));

        string text = await again.Http.GetStringAsync($"/api/history/sessions/{pastId}/export?format=text");
        Assert.Contains("你好，掌控板␍␊", text);
    }

    [Fact]
    public async Task A_session_the_user_named_keeps_its_title_and_the_others_show_their_kind()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir });
        string named = (await ui.PostAsync("/api/sessions", new { kind = "tcpClient" })).GetProperty("id").GetString()!;
        await ui.PostAsync("/api/sessions", new { kind = "udp" });
        await ui.PutAsync($"/api/sessions/{named}/settings", new { title = "板子" });
        JsonElement[] past = [];
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            past = [.. (await ui.GetAsync("/api/history/sessions")).EnumerateArray()];
            if (past.Length == 2 && past.Any(p => p.GetProperty("title").GetString() == "板子"))
                break;
        }
        Assert.True(past.Single(p => p.GetProperty("kind").GetString() == "tcpClient").GetProperty("named").GetBoolean());
        JsonElement udp = past.Single(p => p.GetProperty("kind").GetString() == "udp");
        Assert.False(udp.GetProperty("named").GetBoolean());
        Assert.Equal("UDP", udp.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_file_is_wal_with_a_schema_version_and_a_newer_schema_is_refused()
    {
        await (await UiServer.StartAsync(new UiHostOptions { DataDirectory = _dir })).DisposeAsync();
        string path = Path.Combine(_dir, HistoryStore.FileName);
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using SqliteCommand cmd = db.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", cmd.ExecuteScalar());
            Assert.Equal(HistorySchema.Latest, HistorySchema.Version(db));
            cmd.CommandText = "UPDATE schema_version SET version = 99";
            cmd.ExecuteNonQuery();
        }
        var ex = await Assert.ThrowsAsync<HistoryUnavailableException>(() => UiHost.StartAsync(new UiHostOptions { DataDirectory = _dir }));
        Assert.Contains("schema version 99, newer than this socketlab", ex.Message);
    }

    [Fact]
    public async Task Without_a_data_folder_history_is_off_and_says_so()
    {
        await using UiServer ui = await UiServer.StartAsync();
        HttpResponseMessage r = await ui.Http.GetAsync("/api/history/sessions");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("history is off", await r.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
