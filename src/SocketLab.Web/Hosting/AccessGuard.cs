using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SocketLab.Web.Hosting;

/// <summary>
/// The page's lock: every API and WebSocket call carries the access token (header
/// <c>X-SocketLab-Token</c>, <c>?token=</c> for scripts, or the cookie a browser gets in exchange for
/// the printed link), and a browser's Origin/Host must be this server (no other site, no DNS-rebound
/// name). The static page itself holds nothing secret and is public.
/// </summary>
public sealed class AccessGuard(string token, IPAddress bind)
{
    public const string HeaderName = "X-SocketLab-Token";
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(24));

    public bool HasToken(HttpContext context)
    {
        string? given = context.Request.Headers[HeaderName].FirstOrDefault()
            ?? context.Request.Query["token"].FirstOrDefault()
            ?? context.Request.Cookies[CookieName(context)];
        return Matches(given);
    }

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token);

    /// <summary>
    /// The printed link's <c>/?token=…</c>: trade the token for an HttpOnly, SameSite=Strict cookie and
    /// redirect to the bare page, so the token leaves the address bar, the history and any link the
    /// page shows. Returns false (nothing done) for any other request.
    /// </summary>
    public bool TryExchange(HttpContext context)
    {
        if (context.Request.Path != "/" || !HttpMethods.IsGet(context.Request.Method) || !Matches(context.Request.Query["token"].FirstOrDefault()))
            return false;
        context.Response.Cookies.Append(CookieName(context), Encoding.UTF8.GetString(_token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect("/", permanent: false);
        return true;
    }

    // Cookies ignore the port: two 'socketlab ui' on one machine must not overwrite each other's.
    private static string CookieName(HttpContext context) => $"socketlab-{context.Connection.LocalPort}";

    /// <summary>True when the request may come from a page served here (or from a non-browser client, which sends no Origin).</summary>
    public bool TrustedOrigin(HttpContext context)
    {
        string host = context.Request.Host.Host;
        if (!HostAllowed(host))
            return false;
        string? origin = context.Request.Headers.Origin.FirstOrDefault();
        if (origin is null)
            return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? o)
            && o.Scheme == "http"
            && string.Equals(o.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private bool HostAllowed(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.IsLoopback(bind) || bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any);
        // Only IP literals: a DNS name pointing here is how a rebinding attack gets in.
        if (!IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address))
            return false;
        if (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any))
            return true;
        return address.Equals(bind) || (IPAddress.IsLoopback(bind) && IPAddress.IsLoopback(address));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
