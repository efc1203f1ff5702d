using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>A socket failure already classified and worded for a person; <see cref="Exception.Message"/> is one line.</summary>
public sealed class NetworkException : Exception
{
    public NetworkException(NetworkErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public NetworkErrorKind Kind { get; }

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
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => NetworkErrorKind.Unreachable,
        _ => NetworkErrorKind.Other,
    };

    /// <summary>Wraps a <see cref="SocketException"/> with what was being done, e.g. "connect to 10.0.0.2:5001".</summary>
    public static NetworkException From(SocketException ex, string doing)
    {
        NetworkErrorKind kind = Classify(ex.SocketErrorCode);
        string why = kind switch
        {
            NetworkErrorKind.AddressInUse => "address already in use (another program is listening there; pick another --port)",
            NetworkErrorKind.PermissionDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
            NetworkErrorKind.AddressNotAvailable => "address not available on this machine (check --bind)",
            NetworkErrorKind.ConnectionRefused => "connection refused (nothing is listening on that port)",
            NetworkErrorKind.TimedOut => "timed out",
            NetworkErrorKind.UnknownHost => "unknown host",
            NetworkErrorKind.ConnectionReset => "connection reset by peer",
            NetworkErrorKind.Unreachable => "network or host unreachable",
            _ => ex.Message,
        };
        return new NetworkException(kind, $"cannot {doing}: {why}", ex);
    }
}
