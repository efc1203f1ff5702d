using System.Net.Http.Json;
using System.Text.Json;
using SocketLab.Web.Hosting;

namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>A real 'socketlab ui' host on a free loopback port, with an HTTP client that carries the token.</summary>
public sealed class UiServer : IAsyncDisposable
{
    private UiServer(UiHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(15) };
        Http.DefaultRequestHeaders.Add(AccessGuard.HeaderName, host.Token);
    }

    public UiHost Host { get; }
    public HttpClient Http { get; }

    public static async Task<UiServer> StartAsync(UiHostOptions? options = null) =>
        new(await UiHost.StartAsync(options ?? new UiHostOptions()));

    public async Task<JsonElement> PostAsync(string path, object? body = null, int expect = 200)
    {
        using HttpResponseMessage r = await Http.PostAsJsonAsync(path, body ?? new { });
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expect || (expect == 200 && (int)r.StatusCode is 201 or 204), $"POST {path}: {(int)r.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PutAsync(string path, object body, int expect = 200)
    {
        using HttpResponseMessage r = await Http.PutAsJsonAsync(path, body);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == expect, $"PUT {path}: {(int)r.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        string text = await Http.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Creates a TCP server session listening on a free loopback port; returns (session id, port).</summary>
    public async Task<(string Id, int Port)> StartTcpServerAsync(bool echo, bool board = false)
    {
        string id = (await PostAsync("/api/sessions", new { kind = "tcpServer" })).GetProperty("id").GetString()!;
        JsonElement started = await PostAsync($"/api/sessions/{id}/start", new { address = "127.0.0.1", port = 0, echo, board });
        string on = started.GetProperty("details").GetProperty("listeningOn").GetString()!;
        return (id, int.Parse(on[(on.LastIndexOf(':') + 1)..]));
    }

    /// <summary>Polls the session's log until an entry satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForLogAsync(string id, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            JsonElement s = await GetAsync($"/api/sessions/{id}?tail=1000");
            foreach (JsonElement e in s.GetProperty("log").EnumerateArray())
                if (match(e))
                    return e;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no matching log entry in {id}: {s.GetProperty("log")}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
