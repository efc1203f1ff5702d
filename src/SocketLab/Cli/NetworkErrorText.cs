using SocketLab.Core.Net;

namespace SocketLab.Cli;

/// <summary>
/// How the CLI words Core's <see cref="NetworkException"/>: Core's neutral reason plus what to do about it
/// with this program's options (Core itself names no option; the page words the same fields its own way).
/// </summary>
public static class NetworkErrorText
{
    /// <summary>A refused connection, worded with the flag that set the limit.</summary>
    public static string Of(SocketLab.Core.Tcp.Rejection why) => why.Kind switch
    {
        SocketLab.Core.Tcp.RejectionKind.AccessDenied => "denied by --allow/--deny",
        SocketLab.Core.Tcp.RejectionKind.TooManyClients => $"more than --max-clients {why.Limit}",
        _ => "out of file descriptors (ulimit -n)",
    };

    public static string Of(NetworkException ex)
    {
        string reason = ex.Kind switch
        {
            NetworkErrorKind.AddressInUse => "address already in use (another program is listening there; pick another --port)",
            NetworkErrorKind.AddressNotAvailable => "address not available on this machine (check --bind)",
            NetworkErrorKind.BroadcastNotAllowed => "permission denied (a broadcast address needs --broadcast)",
            NetworkErrorKind.WrongAddressFamily => "an IPv4 group cannot be joined on an IPv6 socket; bind an IPv4 address (e.g. --bind 0.0.0.0)",
            NetworkErrorKind.TlsFailed when ex.InnerException is Core.Tls.TlsRefusedException refused => TlsRefusalText.Of(refused.Refusal),
            _ => ex.Reason,
        };
        return ex.Operation switch
        {
            NetworkOperation.Handshake => $"TLS handshake with {ex.Address} failed: {reason}",
            NetworkOperation.Serve => $"cannot serve the page on {ex.Address}: {reason}",
            _ => $"cannot {ex.Doing}: {reason}",
        };
    }
}
