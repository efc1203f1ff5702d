using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.History;

/// <summary>History in pages, deleted on request, exported whole however long it is.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryPagingTests(BrowserFixture browser) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task An_export_holds_every_event_past_100000_and_says_nothing_is_missing()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        string id = (await ui.PostAsync("/api/sessions", new { kind = "udp" })).GetProperty("id").GetString()!;
        Session session = ui.Host.Sessions.Find(id)!;
        const int events = 100_050;
        for (int i = 0; i < events; i++)
            ui.Host.History!.Logged(session, new LogEntry(i + 1, DateTimeOffset.Now, LogDirection.Rx, "127.0.0.1:6000", Encoding.ASCII.GetBytes($"m{i}"), $"m{i}", 2 + i.ToString().Length));
        await ui.Host.History!.FlushAsync(TimeSpan.FromSeconds(30));
        long pastId = (await ui.GetAsync("/api/history/sessions")).EnumerateArray().Single().GetProperty("id").GetInt64();

        using var response = await ui.Http.GetAsync($"/api/history/sessions/{pastId}/export?format=jsonl", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int lines = 0;
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            last = line;
        }
        Assert.Equal(events, lines);
        Assert.Equal($"m{events - 1}", JsonDocument.Parse(last!).RootElement.GetProperty("text").GetString());

        // Pages: the first, the next after it, the one before that, and the total.
        JsonElement first = await ui.GetAsync($"/api/history/sessions/{pastId}/events?limit=1000");
        Assert.Equal(events, first.GetProperty("total").GetInt64());
        JsonElement[] firstEvents = first.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal("m0", firstEvents[0].GetProperty("entry").GetProperty("text").GetString());
        long lastId = firstEvents[^1].GetProperty("id").GetInt64();
        JsonElement next = await ui.GetAsync($"/api/history/sessions/{pastId}/events?limit=1000&after={lastId}");
        JsonElement firstOfNext = next.GetProperty("events")[0];
        Assert.Equal("m1000", firstOfNext.GetProperty("entry").GetProperty("text").GetString());
        JsonElement back = await ui.GetAsync($"/api/history/sessions/{pastId}/events?limit=1000&before={firstOfNext.GetProperty("id").GetInt64()}");
        Assert.Equal("m999", back.GetProperty("events").EnumerateArray().Last().GetProperty("entry").GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_history_view_pages_through_a_long_session_and_deletes_a_closed_one()
    {
        await using UiServer ui = await UiServer.StartAsync(new UiHostOptions { DataDirectory = _temp.Path });
        (IPage page, List<string> errors) = await browser.NewPageAsync();
        await page.GotoAsync(ui.Host.PageUri.ToString());
        // One datagram, one event: 1,500 of them make two pages.
        string id = (await ui.PostAsync("/api/sessions", new { kind = "udp" })).GetProperty("id").GetString()!;
        JsonElement open = await ui.PostAsync($"/api/sessions/{id}/start", new { port = 0 });
        string local = open.GetProperty("details").GetProperty("local").GetString()!;
        int port = int.Parse(local[(local.LastIndexOf(':') + 1)..]);
        using (var board = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            for (int i = 0; i < 1500; i++)
            {
                await board.SendAsync(Encoding.ASCII.GetBytes($"n{i}"), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                if (i % 50 == 49)
                    await ui.WaitForLogAsync(id, e => e.GetProperty("text").GetString() == $"n{i}");
            }
        }
        await ui.Host.History!.FlushAsync(TimeSpan.FromSeconds(10));

        await page.GetByTestId("history-open").ClickAsync();
        ILocator pageInfo = page.GetByTestId("history-page");
        await Assertions.Expect(pageInfo).ToContainTextAsync("events 1–1000 of");
        await Assertions.Expect(page.GetByTestId("history-older")).ToBeDisabledAsync();
        await page.GetByTestId("history-newer").ClickAsync();
        await Assertions.Expect(pageInfo).ToContainTextAsync("events 1001–");
        await Assertions.Expect(page.GetByTestId("history-newer")).ToBeDisabledAsync();
        await page.GetByTestId("history-older").ClickAsync();
        await Assertions.Expect(pageInfo).ToContainTextAsync("events 1–1000 of");

        // Still open: refused with a reason. Closed: deleted.
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.GetByTestId("history-delete").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToContainTextAsync("still open");
        await page.GetByTestId("history-back").ClickAsync();
        await ui.Http.DeleteAsync($"/api/sessions/{id}");
        await page.GetByTestId("history-open").ClickAsync();
        await page.GetByTestId("history-delete").ClickAsync();
        await Assertions.Expect(page.GetByTestId("toast")).ToHaveTextAsync("Deleted");
        await Assertions.Expect(page.GetByTestId("history-sessions").Locator("tbody tr")).ToHaveCountAsync(0);
        Assert.Empty((await ui.GetAsync("/api/history/sessions")).EnumerateArray());
        Assert.All(errors, e => Assert.Contains("status of 409", e));
    }

    public void Dispose() => _temp.Dispose();
}
