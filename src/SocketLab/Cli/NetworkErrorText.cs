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

    /// <summary>A command's listen or bind failed: the line worded with its own options, and the exit code, for Program to print.</summary>
    public static CliException Failure(NetworkException ex, ListenHint listening) => new(ExitCodes.For(ex.Kind), Of(ex, listening));

    /// <summary>The one line for <paramref name="ex"/>; <paramref name="listening"/> names the options of the command's listening address [default: --port and --bind].</summary>
    public static string Of(NetworkException ex, ListenHint? listening = null)
    {
        listening ??= ListenHint.PortAndBind;
        string reason = ex.Kind switch
        {
            NetworkErrorKind.AddressInUse => $"address already in use (another program is listening there; {listening.TakenPort})",
            NetworkErrorKind.AddressNotAvailable => listening.MissingAddress is { } check ? $"address not available on this machine ({check})" : "address not available on this machine",
            NetworkErrorKind.BroadcastNotAllowed => "permission denied (a broadcast address needs --broadcast)",
            NetworkErrorKind.WrongAddressFamily => listening.Ipv4Socket is { } ipv4 ? $"an IPv4 group cannot be joined on an IPv6 socket; {ipv4}" : ex.Reason,
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
