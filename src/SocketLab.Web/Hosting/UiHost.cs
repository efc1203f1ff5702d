using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketLab.Web.Api;
using SocketLab.Web.History;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Hosting;

/// <summary>The 'socketlab ui' web server: the page, its JSON API and its WebSocket, all behind the access token.</summary>
public sealed class UiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UiHost(WebApplication app, SessionManager sessions, HistoryStore? history, string token, Uri baseUri)
    {
        _app = app;
        History = history;
        Sessions = sessions;
        Token = token;
        BaseUri = baseUri;
    }

    public SessionManager Sessions { get; }

    /// <summary>The SQLite history, or null when started without a data folder.</summary>
    public HistoryStore? History { get; }
    public string Token { get; }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The address to open: the page with the token in it.</summary>
    public Uri PageUri => new(BaseUri, $"/?token={Token}");

    /// <summary>Starts listening; throws <see cref="IOException"/> when the address or port cannot be used.</summary>
    public static async Task<UiHost> StartAsync(UiHostOptions options, CancellationToken cancellationToken = default)
    {
        string token = options.Token ?? AccessGuard.NewToken();
        var guard = new AccessGuard(token, options.Bind);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "SocketLab.Web" });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Bind, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            j.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Default);
            foreach (var c in Json.Converters)
                j.SerializerOptions.Converters.Add(c);
        });

        var hub = new EventHub();
        HistoryStore? history = options.DataDirectory is { } dir ? new HistoryStore(dir) : null;
        var sessions = new SessionManager(new SessionServices(hub, options.Screens, (ISessionHistory?)history ?? NoHistory.Instance, options.LogCapacity, options.TranscriptFolder, options.BoardPrograms));

        WebApplication app = builder.Build();
        app.Use(async (ctx, next) =>
        {
            PathString path = ctx.Request.Path;
            bool guarded = path.StartsWithSegments("/api") || path.StartsWithSegments("/ws");
            if (guarded && !guard.TrustedOrigin(ctx))
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ctx.Response.WriteAsJsonAsync(new ApiError("forbidden origin", "forbiddenOrigin"), Json.Info<ApiError>()).ConfigureAwait(false);
                return;
            }
            if (guarded && !guard.HasToken(ctx))
            {
                ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await ctx.Response.WriteAsJsonAsync(new ApiError("missing or wrong access token (open the link socketlab ui printed)", "noToken"), Json.Info<ApiError>()).ConfigureAwait(false);
                return;
            }
            if (!guarded && guard.TryExchange(ctx))
                return;
            ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
            ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(ctx).ConfigureAwait(false);
        });
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        var files = new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = f => f.Context.Response.Headers.CacheControl = "no-cache",
        });
        SessionApi.Map(app, sessions, options, history);
        HistoryApi.Map(app, history);
        SerialApi.Map(app);
        CommandListApi.Map(app, new CommandListStore(history?.Path), sessions);
        IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        app.Map("/ws", (HttpContext ctx) => EventSocket.RunAsync(ctx, sessions, hub, options, lifetime.ApplicationStopping));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            await sessions.DisposeAsync().ConfigureAwait(false);
            if (history is not null)
                await history.DisposeAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        string host = options.Bind.Equals(IPAddress.Any) || options.Bind.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bound.Host;
        return new UiHost(app, sessions, history, token, new Uri($"http://{host}:{bound.Port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        if (History is not null)
            await History.DisposeAsync().ConfigureAwait(false);
    }
}
