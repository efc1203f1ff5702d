using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>
/// A socket failure as fields, like Go's <c>net.OpError</c>: what kind (<see cref="Kind"/>), doing what
/// (<see cref="Operation"/>) to which <see cref="Address"/>, and the platform's <see cref="Errno"/>. Each
/// front end words it itself (the CLI with its flags, the page in the user's language);
/// <see cref="Exception.Message"/> is one neutral English line — "cannot {Doing}: {Reason}" — that names
/// no command-line option.
/// </summary>
public sealed class NetworkException : Exception
{
    public NetworkException(NetworkErrorKind kind, NetworkOperation operation, string? address, string? detail = null, Exception? inner = null, string? source = null)
        : this(kind, operation, address, source, DoingText(operation, address, source), detail, inner)
    {
    }

    private NetworkException(NetworkErrorKind kind, NetworkOperation operation, string? address, string? source, string doing, string? detail, Exception? inner)
        : base($"cannot {doing}: {ReasonText(kind, detail, inner)}", inner)
    {
        Kind = kind;
        Operation = operation;
        Address = address;
        SourceAddress = source;
        Doing = doing;
        Detail = detail;
    }

    public NetworkErrorKind Kind { get; }

    public NetworkOperation Operation { get; }

    /// <summary>The endpoint, host or group the operation was aimed at ("10.0.0.2:5001", "[::1]:80", "example.com").</summary>
    public string? Address { get; }

    /// <summary>The local address the operation started from, when one was chosen.</summary>
    public string? SourceAddress { get; }

    /// <summary>The operation in English: "connect to 10.0.0.2:5001".</summary>
    public string Doing { get; }

    /// <summary>What went wrong in more words than <see cref="Kind"/> ("timed out after 3 s", "unknown host 'x'"), if known.</summary>
    public string? Detail { get; }

    /// <summary>Why, in English: <see cref="Detail"/>, else the kind's words, else the platform's message.</summary>
    public string Reason => ReasonText(Kind, Detail, InnerException);

    /// <summary>The platform's socket error, when a socket call failed.</summary>
    public SocketError? SocketErrorCode => (InnerException as SocketException)?.SocketErrorCode;

    /// <summary>The platform's own error number (errno on Linux and macOS, WSA code on Windows), when a socket call failed.</summary>
    public int? Errno => (InnerException as SocketException)?.NativeErrorCode;

    /// <summary>Maps a platform socket error to the kind a user can act on.</summary>
    public static NetworkErrorKind Classify(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => NetworkErrorKind.AddressInUse,
        SocketError.AccessDenied => NetworkErrorKind.PermissionDenied,
        SocketError.AddressNotAvailable => NetworkErrorKind.AddressNotAvailable,
        SocketError.ConnectionRefused => NetworkErrorKind.ConnectionRefused,
        SocketError.TimedOut => NetworkErrorKind.TimedOut,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => NetworkErrorKind.UnknownHost,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => NetworkErrorKind.ConnectionReset,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable
            or SocketError.NetworkDown or SocketError.HostDown => NetworkErrorKind.Unreachable,
        _ => NetworkErrorKind.Other,
    };

    /// <summary>Wraps a <see cref="SocketException"/> with what was being done where.</summary>
    public static NetworkException From(SocketException ex, NetworkOperation operation, string? address, string? source = null) =>
        new(Classify(ex.SocketErrorCode), operation, address, detail: null, ex, source);

    /// <summary>Wraps a <see cref="SocketException"/> with what was being done in words, e.g. "listen on 0.0.0.0:5001".</summary>
    public static NetworkException From(SocketException ex, string doing) =>
        new(Classify(ex.SocketErrorCode), NetworkOperation.Other, null, null, doing, null, ex);

    /// <summary>"timed out after 0.3 s": the detail of a deadline that passed.</summary>
    public static string TimedOutAfter(TimeSpan timeout) => $"timed out after {timeout.TotalSeconds:0.###} s";

    private static string DoingText(NetworkOperation operation, string? address, string? source)
    {
        string where = address ?? "";
        string doing = operation switch
        {
            NetworkOperation.Resolve => $"look up {where}",
            NetworkOperation.Connect => $"connect to {where}",
            NetworkOperation.Listen => $"listen on {where}",
            NetworkOperation.Bind => $"bind UDP {where}",
            NetworkOperation.JoinGroup => $"join multicast group {where}",
            NetworkOperation.Send => address is null ? "send" : $"send to {where}",
            NetworkOperation.Reach => $"reach UDP {where}",
            NetworkOperation.Handshake => $"complete the TLS handshake with {where}",
            NetworkOperation.Serve => $"serve on {where}",
            _ => where,
        };
        return source is null ? doing : $"{doing} from {source}";
    }

    private static string ReasonText(NetworkErrorKind kind, string? detail, Exception? inner) => detail ?? kind switch
    {
        NetworkErrorKind.AddressInUse => "address already in use",
        NetworkErrorKind.PermissionDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        NetworkErrorKind.AddressNotAvailable => "address not available on this machine",
        NetworkErrorKind.ConnectionRefused => "connection refused (nothing is listening on that port)",
        NetworkErrorKind.TimedOut => "timed out",
        NetworkErrorKind.UnknownHost => "unknown host",
        NetworkErrorKind.ConnectionReset => "connection reset by peer",
        NetworkErrorKind.Unreachable => "network or host unreachable",
        NetworkErrorKind.BroadcastNotAllowed => "sending to a broadcast address is not enabled on this socket",
        NetworkErrorKind.WrongAddressFamily => "an IPv4 group cannot be joined on an IPv6 socket; bind an IPv4 address",
        _ => inner?.Message ?? "failed",
    };
}
