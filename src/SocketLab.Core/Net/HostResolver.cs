using System.Net;
using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>
/// The one way a host the user typed becomes addresses, for every command and the page: an IP literal as
/// it is (also "[::1]"), else DNS with the IPv4 addresses first — what the board and most LAN devices
/// speak, and "localhost" then means 127.0.0.1, which a server bound to 0.0.0.0 answers.
/// </summary>
public static class HostResolver
{
    /// <summary>
    /// Every address of <paramref name="host"/>, IPv4 first. An unknown host throws <see cref="NetworkException"/>
    /// (<see cref="NetworkErrorKind.UnknownHost"/>) for <paramref name="operation"/> on <paramref name="address"/>
    /// ("connect to example.invalid:5001"); by default the lookup itself.
    /// </summary>
    public static async Task<IPAddress[]> ResolveAllAsync(string host, CancellationToken cancellationToken = default,
        NetworkOperation operation = NetworkOperation.Resolve, string? address = null)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
            return [EndpointText.Plain(literal)];
        IPAddress[] all;
        try
        {
            all = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new NetworkException(NetworkErrorKind.UnknownHost, operation, address ?? host, $"unknown host '{host}'", ex);
        }
        catch (ArgumentException ex)
        {
            // An empty or over-long name: no such host either.
            throw new NetworkException(NetworkErrorKind.UnknownHost, operation, address ?? host, $"unknown host '{host}'", ex);
        }
        if (all.Length == 0)
            throw new NetworkException(NetworkErrorKind.UnknownHost, operation, address ?? host, $"unknown host '{host}'");
        return [.. all.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];
    }

    /// <summary>The first of <see cref="ResolveAllAsync"/>: the address to send a datagram to or load with a bench.</summary>
    public static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken = default,
        NetworkOperation operation = NetworkOperation.Resolve, string? address = null) =>
        (await ResolveAllAsync(host, cancellationToken, operation, address).ConfigureAwait(false))[0];
}
