namespace SocketLab.Core.Serial;

/// <summary>The serial failures a user can act on.</summary>
public enum SerialErrorKind
{
    Other,
    /// <summary>No such port (not plugged in, a typo).</summary>
    Missing,
    /// <summary>Another program has the port open.</summary>
    Busy,
    /// <summary>This user may not open the port (on Linux: not in the port's group, usually <c>dialout</c>).</summary>
    PermissionDenied,
    /// <summary>The file exists but is not a serial port, or refuses the settings.</summary>
    NotSerial,
}

/// <summary>A serial failure already worded for a person; <see cref="Exception.Message"/> is one line.</summary>
public sealed class SerialPortException(SerialErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public SerialErrorKind Kind { get; } = kind;
}
