using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketLab.Web.History;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>/api/history: browse (in pages), search, export and delete past sessions from the SQLite store.</summary>
public static class HistoryApi
{
    private const int PageEvents = 1000;

    public static void Map(IEndpointRouteBuilder app, HistoryStore? store)
    {
        RouteGroupBuilder api = app.MapGroup("/api/history");
        if (store is null)
        {
            api.MapGet("/{**rest}", () => SessionApi.Refused(Notice.Of("historyOff", "history is off (started with --no-history)"), 404));
            return;
        }

        api.MapGet("/sessions", async (string? q) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            return Json.Result(store.Sessions(q));
        });

        // One page of events: the first page, the next (after=ID) or the previous (before=ID), with the total.
        api.MapGet("/sessions/{id:long}/events", async (long id, string? q, long? after, long? before, int? limit) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            IReadOnlyList<HistoryStore.StoredEvent> events = store.Events(id, q, Math.Clamp(limit ?? PageEvents, 1, 5000), after, before);
            return Json.Result(new HistoryPage(store.CountEvents(id, q), events.Select(e => new HistoryEventView(e.Id, LogEntryView.Of(e.Entry))).ToArray()));
        });

        api.MapDelete("/sessions/{id:long}", (long id) =>
            store.Delete(id, out bool open) ? Results.NoContent()
            : open ? SessionApi.Refused(Notice.Of("historyOpen", "this session is still open: close its tab first"), 409)
            : SessionApi.Refused(Notice.Of("noHistory", $"no past session {id}"), 404));

        // Streamed page by page: every event, however many, without holding them all in memory.
        api.MapGet("/sessions/{id:long}/export", async (long id, string? format, string? q, HttpContext http) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            bool jsonl = format == "jsonl";
            http.Response.ContentType = jsonl ? "application/x-ndjson" : "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"socketlab-history-{id}.{(jsonl ? "jsonl" : "txt")}\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
            foreach (LogEntry[] chunk in store.AllEvents(id, q).Chunk(1000))
            {
                await writer.WriteAsync(jsonl ? LogExport.JsonLines(chunk) : LogExport.Text(chunk)).ConfigureAwait(false);
                await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        });
    }
}
