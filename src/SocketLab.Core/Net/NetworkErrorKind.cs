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
}
