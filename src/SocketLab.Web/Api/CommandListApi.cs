using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SocketLab.Core.Presets;
using SocketLab.Web.History;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>/api/lists: the page's command lists (save, import, export, delete) and running one over a session.</summary>
public static class CommandListApi
{
    public sealed record RunRequest(string Name, int? Repeat, string? Target, string? RemoteHost, int? RemotePort);

    public static void Map(IEndpointRouteBuilder app, CommandListStore store, SessionManager sessions)
    {
        RouteGroupBuilder api = app.MapGroup("/api");

        api.MapGet("/lists", () => Results.Text("[" + string.Join(",", store.All().Select(l => l.ToJson())) + "]", "application/json"));

        // The body is a list's JSON, as exported; checked step by step before it is kept.
        api.MapPut("/lists", async (HttpContext http) =>
        {
            string json = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
            if (!CommandList.TryParse(json, out CommandList? list, out string? error))
                return SessionApi.Refused(Notice.Of("badList", error, ("detail", error)), 400);
            store.Save(list);
            return Results.Text(list.ToJson(), "application/json");
        });

        api.MapDelete("/lists/{name}", (string name) =>
            store.Delete(name) ? Results.NoContent() : SessionApi.Refused(Notice.Of("noList", $"no command list '{name}'", ("name", name)), 404));

        api.MapPost("/sessions/{id}/run-list", (string id, RunRequest body) =>
        {
            if (sessions.Find(id) is not { } s)
                return SessionApi.Refused(Notice.Of("noSession", $"no session '{id}'", ("id", id)), 404);
            if (store.Find(body.Name) is not { } list)
                return SessionApi.Refused(Notice.Of("noList", $"no command list '{body.Name}'", ("name", body.Name)), 404);
            if (body.Repeat is < 1 or > 100_000)
                return SessionApi.Refused(Notice.Of("badRepeat", "repeat: 1 to 100000"), 400);
            try
            {
                s.RunList(list, body.Repeat, new SendRequest { Target = body.Target, RemoteHost = body.RemoteHost, RemotePort = body.RemotePort });
            }
            catch (SessionException ex)
            {
                return SessionApi.Refused(ex.Notice, ex.Conflict ? 409 : 400);
            }
            return Results.NoContent();
        });

        api.MapPost("/sessions/{id}/run-list/stop", (string id) =>
        {
            if (sessions.Find(id) is not { } s)
                return SessionApi.Refused(Notice.Of("noSession", $"no session '{id}'", ("id", id)), 404);
            s.StopList();
            return Results.NoContent();
        });
    }
}
