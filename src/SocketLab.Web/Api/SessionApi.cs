using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using SocketLab.Core.Checksums;
using SocketLab.Board.Oled;
using SocketLab.Core.Net;
using SocketLab.Core.Text;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>The page's JSON API under /api: sessions, start/stop, send, rules, export.</summary>
public static class SessionApi
{
    public sealed record CreateRequest(SessionKind Kind, string? Title);
    public sealed record SettingsRequest(bool? Echo, string? Encoding, string? Title, string? Framing, string? Verify, string? VerifyOrder);
    public sealed record RecordRequest(bool On);
    public sealed record ButtonRequest(string Name, bool Pressed);

    public static void Map(IEndpointRouteBuilder app, SessionManager sessions, UiHostOptions options)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        api.AddEndpointFilter(async (ctx, next) =>
        {
            try
            {
                return await next(ctx).ConfigureAwait(false);
            }
            catch (SessionException ex)
            {
                return Refused(ex.Notice, ex.Conflict ? 409 : 400);
            }
            catch (SocketLab.Core.Tcp.ConnectionClosedException ex)
            {
                // The peer went away mid-send; its receive loop logs why.
                return Refused(Notice.SendAborted(ex.Message), 409);
            }
        });

        api.MapGet("/info", () => Results.Json(new
        {
            version = typeof(SessionApi).Assembly.GetName().Version?.ToString(3),
            addresses = LocalAddresses(),
            encodings = TextEncodings.Names,
            checksums = Checksum.All.Select(c => new { name = c.Name, title = c.Title, size = c.Size, order = c.DefaultOrder == ByteOrder.LittleEndian ? "le" : "be" }),
            greeting = TcpClientSession.SeedGreeting,
            oled = options.Screens is not null,
            oledFont = options.OledFontFile is { } fontFile ? Path.GetFileName(fontFile) : "built-in",
            firmware = options.Firmware,
            firmwares = BoardFirmware.Names,
            history = options.DataDirectory is not null,
        }, Json.Options));

        api.MapGet("/sessions", () => Results.Json(sessions.All.Select(s => SessionView.Of(s, logTail: 0)), Json.Options));

        api.MapPost("/sessions", (CreateRequest body) =>
        {
            Session s = sessions.Create(body.Kind, body.Title);
            return Results.Json(SessionView.Of(s, logTail: 0), Json.Options, statusCode: 201);
        });

        api.MapDelete("/sessions/{id}", async (string id) =>
            await sessions.RemoveAsync(id).ConfigureAwait(false) ? Results.NoContent() : NotFound(id));

        api.MapGet("/sessions/{id}", (string id, int? tail) =>
            With(sessions, id, s => Results.Json(SessionView.Of(s, Math.Clamp(tail ?? 500, 1, s.Log.Capacity)), Json.Options)));

        // Scrolling back: up to `limit` lines older than `before` (a sequence number), oldest first.
        api.MapGet("/sessions/{id}/log", (string id, long? before, int? limit) =>
            With(sessions, id, s => Results.Json(s.Log.Before(before ?? long.MaxValue, Math.Clamp(limit ?? 1000, 1, 5000)).Select(LogEntryView.Of), Json.Options)));

        api.MapPost("/sessions/{id}/start", (string id, StartRequest body, CancellationToken ct) =>
            WithAsync(sessions, id, async s =>
            {
                await s.StartAsync(body, ct).ConfigureAwait(false);
                return Results.Json(SessionView.Of(s, logTail: 0), Json.Options);
            }));

        api.MapPost("/sessions/{id}/stop", (string id) =>
            WithAsync(sessions, id, async s =>
            {
                await s.StopAsync().ConfigureAwait(false);
                return Results.Json(SessionView.Of(s, logTail: 0), Json.Options);
            }));

        api.MapPost("/sessions/{id}/send", (string id, SendRequest body, CancellationToken ct) =>
            WithAsync(sessions, id, async s =>
            {
                int peers = await s.SendAsync(body, ct).ConfigureAwait(false);
                return Results.Json(new { peers, repeating = body.RepeatMs > 0 }, Json.Options);
            }));

        api.MapPost("/sessions/{id}/repeat/stop", (string id) => With(sessions, id, s =>
        {
            s.StopRepeat();
            return Results.NoContent();
        }));

        api.MapPost("/sessions/{id}/file", (string id, HttpContext http) =>
            WithAsync(sessions, id, async s =>
            {
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                    limit.MaxRequestBodySize = options.MaxFileBytes;
                IQueryCollection q = http.Request.Query;
                var target = new SendRequest
                {
                    Data = "",
                    Target = q["target"].FirstOrDefault(),
                    RemoteHost = q["remoteHost"].FirstOrDefault(),
                    RemotePort = int.TryParse(q["remotePort"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : null,
                };
                string name = q["name"].FirstOrDefault() is { Length: > 0 } n ? n : "file";
                int chunk = int.TryParse(q["chunk"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int c) ? c : Session.FileChunkBytes;
                int delayMs = int.TryParse(q["delayMs"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : 0;
                long sent = await s.SendFileAsync(http.Request.Body, http.Request.ContentLength, name, target, http.RequestAborted, chunk, delayMs).ConfigureAwait(false);
                return Results.Json(new { sent }, Json.Options);
            }));

        api.MapPost("/sessions/{id}/kick/{client:long}", (string id, long client) => With(sessions, id, s =>
        {
            if (s is not TcpServerSession server)
                throw new SessionException(Notice.KickNotServer());
            server.Kick(client);
            return Results.NoContent();
        }));

        api.MapPut("/sessions/{id}/clients/{client:long}/echo", (string id, long client, RecordRequest body) => With(sessions, id, s =>
        {
            if (s is not TcpServerSession server)
                throw new SessionException(Notice.KickNotServer());
            server.SetClientEcho(client, body.On);
            return Results.NoContent();
        }));

        api.MapPost("/sessions/{id}/button", (string id, ButtonRequest body) => With(sessions, id, s =>
        {
            if (s is not BoardSession board)
                throw new SessionException(Notice.Of("notBoard", "only a 虚拟掌控板 session has buttons"));
            board.Press(body.Name?.ToLowerInvariant() ?? "", body.Pressed);
            return Results.NoContent();
        }));

        api.MapPut("/sessions/{id}/settings", (string id, SettingsRequest body) => With(sessions, id, s =>
        {
            if (body.Encoding is { Length: > 0 } e)
                s.SetEncoding(e);
            if (body.Echo is { } echo)
                s.Echo = echo;
            if (body.Framing is { Length: > 0 } framing)
                s.SetFraming(framing);
            if (body.Verify is not null)
                s.SetVerify(body.Verify, body.VerifyOrder);
            if (body.Title is { Length: > 0 } title)
                s.Rename(title);
            return Results.Json(SessionView.Of(s, logTail: 0), Json.Options);
        }));

        api.MapPut("/sessions/{id}/record", (string id, RecordRequest body) => With(sessions, id, s =>
        {
            s.SetRecording(body.On);
            return Results.Json(SessionView.Of(s, logTail: 0), Json.Options);
        }));

        api.MapPut("/sessions/{id}/save", (string id, RecordRequest body) => With(sessions, id, s =>
        {
            s.SetSaving(body.On);
            return Results.Json(SessionView.Of(s, logTail: 0), Json.Options);
        }));

        // The received bytes as saved so far (saving may go on: the file is shared for reading).
        api.MapGet("/sessions/{id}/saved", (string id) => With(sessions, id, s =>
            s.SavedPath is { } path && File.Exists(path)
                ? Results.Stream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), "application/octet-stream", Path.GetFileName(path))
                : Refused(Notice.Of("nothingSaved", $"session '{id}' has saved nothing"), 404)));

        // Streams the file as it is now (recording may go on); the writer lets readers share it.
        api.MapGet("/sessions/{id}/transcript", (string id) => With(sessions, id, s =>
            s.Transcript.Path is { } path && File.Exists(path)
                ? Results.File(path, "application/x-ndjson", Path.GetFileName(path))
                : Refused(Notice.Of("noTranscript", $"session '{id}' has not recorded a transcript"), 404)));

        api.MapPut("/sessions/{id}/rules", (string id, AutoReplyRule[] body) => With(sessions, id, s =>
            s.SetRules(body) is { } error ? throw new SessionException(Notice.BadRule(error)) : Results.Json(s.Rules.Rules, Json.Options)));

        api.MapPost("/sessions/{id}/clear", (string id) => With(sessions, id, s =>
        {
            s.ClearLog();
            return Results.NoContent();
        }));

        api.MapGet("/sessions/{id}/export", (string id, string? format) => With(sessions, id, s =>
        {
            bool jsonl = format == "jsonl";
            string body = jsonl ? LogExport.JsonLines(s.Log.All()) : LogExport.Text(s.Log.All());
            string file = $"socketlab-{s.Id}-{DateTime.Now:yyyyMMdd-HHmmss}.{(jsonl ? "jsonl" : "txt")}";
            return Results.File(Encoding.UTF8.GetBytes(body), jsonl ? "application/x-ndjson" : "text/plain; charset=utf-8", file);
        }));
    }

    private static IResult With(SessionManager sessions, string id, Func<Session, IResult> action) =>
        sessions.Find(id) is { } s ? action(s) : NotFound(id);

    private static async Task<IResult> WithAsync(SessionManager sessions, string id, Func<Session, Task<IResult>> action) =>
        sessions.Find(id) is { } s ? await action(s).ConfigureAwait(false) : NotFound(id);

    private static IResult NotFound(string id) => Refused(Notice.Of("noSession", $"no session '{id}'", ("id", id)), 404);

    /// <summary>An error answer: the English text for API clients plus the code and parameters the page words itself.</summary>
    public static IResult Refused(Notice notice, int status) =>
        Results.Json(new { error = notice.Text, code = notice.Code, args = notice.Args }, Json.Options, statusCode: status);

    /// <summary>This machine's IPv4 addresses (the phone app's IP picker): "0.0.0.0" (all) first, loopback last.</summary>
    private static string[] LocalAddresses() =>
        ["0.0.0.0", .. EndpointText.ReachableAddresses(IPAddress.Any).Append(IPAddress.Loopback).Select(a => a.ToString()).Distinct()];
}
