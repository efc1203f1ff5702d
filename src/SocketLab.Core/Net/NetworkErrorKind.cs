namespace SocketLab.Core.Net;

/// <summary>The failures a user can act on, independent of the platform's error numbers.</summary>
public enum NetworkErrorKind
{
    Other,
    AddressInUse,
    PermissionDenied,
    AddressNotAvailable,
    ConnectionRefused,
    TimedOut,
    UnknownHost,
    ConnectionReset,
    Unreachable,
    TlsFailed,
    /// <summary>A send to a broadcast address on a socket that was not allowed to broadcast (SO_BROADCAST off).</summary>
    BroadcastNotAllowed,
    /// <summary>An IPv4 multicast group joined on an IPv6 socket.</summary>
    WrongAddressFamily,
}
