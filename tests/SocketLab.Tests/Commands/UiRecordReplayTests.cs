using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>A TCP client session recorded with the page's Record toggle (a real 'socketlab ui'), replayed by 'socketlab replay'.</summary>
public sealed class UiRecordReplayTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-ui-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_client_session_recorded_in_the_ui_replays_against_a_real_server()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        await using CliProcess ui = CliProcess.Start("ui", "--data-dir", _dir);
        Match url = await ui.WaitForLineAsync(@"^(http://127\.0\.0\.1:\d+/)\?token=(\S+)$");
        using var http = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value), Timeout = Wait };
        http.DefaultRequestHeaders.Add("X-SocketLab-Token", url.Groups[2].Value);

        string id = (await Json(http.PostAsJsonAsync("/api/sessions", new { kind = "tcpClient" }))).GetProperty("id").GetString()!;
        string file = (await Json(http.PutAsJsonAsync($"/api/sessions/{id}/record", new { on = true }))).GetProperty("transcript").GetString()!;
        // Echo off: the client would otherwise bounce the echo server's replies back for ever.
        await Json(http.PostAsJsonAsync($"/api/sessions/{id}/start", new { host = "127.0.0.1", port, echo = false, greeting = "hello mPython,I am TCP Client" }));
        await UntilAsync(http, id, s => s.GetProperty("state").GetString() == "connected");
        await Json(http.PostAsJsonAsync($"/api/sessions/{id}/send", new { data = "你好", eol = "lf" }));
        int expected = "hello mPython,I am TCP Client你好\n"u8.Length;
        await UntilAsync(http, id, s => s.GetProperty("rxBytes").GetInt64() == expected);
        await Json(http.PostAsJsonAsync($"/api/sessions/{id}/stop", new { }));
        await Json(http.PutAsJsonAsync($"/api/sessions/{id}/record", new { on = false }));

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(file);
        Assert.Equal((TranscriptEventKind.Open, "client"), (events[0].Kind, events[0].Role));
        Assert.Equal((TranscriptEventKind.Close, "local_closed"), (events[^1].Kind, events[^1].Reason));

        var (code, stdout, stderr) = await CliProcess.RunAsync(Wait, "replay", file, "--to", $"127.0.0.1:{port}", "--speed", "0");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"replies match: {expected} bytes", stdout);

        ui.Signal();
        Assert.Equal(0, await ui.WaitForExitAsync(Wait));
    }

    private static async Task UntilAsync(HttpClient http, string id, Func<JsonElement, bool> done)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (!done(await Json(http.GetAsync($"/api/sessions/{id}"))))
        {
            Assert.True(DateTime.UtcNow < deadline, $"session {id} never got there");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> Json(Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage r = await request;
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri}: {(int)r.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
