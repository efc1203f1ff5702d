using SocketLab.Core.Net;
using SocketLab.Core.Serial;

namespace SocketLab.Cli;

/// <summary>Every exit code socketlab uses; docs/exit-codes.md lists the same table.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int AddressInUse = 3;
    public const int PermissionDenied = 4;
    public const int ConnectionRefused = 5;
    public const int TimedOut = 6;
    public const int UnknownHost = 7;
    public const int ConnectionReset = 8;
    public const int Unreachable = 9;
    public const int AddressNotAvailable = 10;
    public const int TlsFailed = 11;
    public const int FileError = 12;
    /// <summary>An expectation of <c>socketlab expect</c> failed, or <c>socketlab replay</c> got different replies.</summary>
    public const int ExpectationFailed = 13;
    /// <summary>socketlab ui: the history database cannot be opened (unwritable folder, corrupt or newer file).</summary>
    public const int HistoryUnavailable = 14;
    /// <summary>socketlab bench: connections failed, were reset, or idle connections stopped echoing.</summary>
    public const int BenchErrors = 15;
    /// <summary>socketlab bench: an echo came back different from what was sent.</summary>
    public const int EchoMismatch = 16;
    /// <summary>socketlab board run: no Python 3 to run the board program with.</summary>
    public const int RuntimeMissing = 17;
    /// <summary>socketlab serial and bridge: no such serial port.</summary>
    public const int NoSuchPort = 18;
    /// <summary>socketlab serial and bridge: the serial port went away mid-session (USB unplugged).</summary>
    public const int PortLost = 19;
    public const int Interrupted = 130;

    public static int For(NetworkErrorKind kind) => kind switch
    {
        NetworkErrorKind.AddressInUse => AddressInUse,
        NetworkErrorKind.PermissionDenied or NetworkErrorKind.BroadcastNotAllowed => PermissionDenied,
        NetworkErrorKind.ConnectionRefused => ConnectionRefused,
        NetworkErrorKind.TimedOut => TimedOut,
        NetworkErrorKind.UnknownHost => UnknownHost,
        NetworkErrorKind.ConnectionReset => ConnectionReset,
        NetworkErrorKind.Unreachable => Unreachable,
        NetworkErrorKind.AddressNotAvailable => AddressNotAvailable,
        NetworkErrorKind.TlsFailed => TlsFailed,
        _ => Failure,
    };

    public static int For(SerialErrorKind kind) => kind switch
    {
        SerialErrorKind.Missing => NoSuchPort,
        SerialErrorKind.Busy => AddressInUse,
        SerialErrorKind.PermissionDenied => PermissionDenied,
        SerialErrorKind.NotSerial => FileError,
        _ => Failure,
    };
}
