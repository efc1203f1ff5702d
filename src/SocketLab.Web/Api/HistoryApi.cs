using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketLab.Web.History;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>/api/history: browse, search and export past sessions from the SQLite store.</summary>
public static class HistoryApi
{
    private const int PageEvents = 2000;

    public static void Map(IEndpointRouteBuilder app, HistoryStore? store)
    {
        RouteGroupBuilder api = app.MapGroup("/api/history");
        if (store is null)
        {
            api.MapGet("/{**rest}", () => Results.Json(new { error = "history is off (started with --no-history)" }, Json.Options, statusCode: 404));
            return;
        }

        api.MapGet("/sessions", async (string? q) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            return Results.Json(store.Sessions(q), Json.Options);
        });

        api.MapGet("/sessions/{id:long}/events", async (long id, string? q) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            IReadOnlyList<LogEntry> events = store.Events(id, q, PageEvents);
            return Results.Json(events.Select(LogEntryView.Of), Json.Options);
        });

        api.MapGet("/sessions/{id:long}/export", async (long id, string? format, string? q) =>
        {
            await store.FlushAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            IReadOnlyList<LogEntry> events = store.Events(id, q);
            bool jsonl = format == "jsonl";
            string body = jsonl ? LogExport.JsonLines(events) : LogExport.Text(events);
            return Results.File(Encoding.UTF8.GetBytes(body), jsonl ? "application/x-ndjson" : "text/plain; charset=utf-8", $"socketlab-history-{id}.{(jsonl ? "jsonl" : "txt")}");
        });
    }
}
