using SocketLab.Core.Serial;

namespace SocketLab.Web.Sessions;

/// <summary>What a serial session tells its user (wwwroot/i18n.js words the codes).</summary>
public sealed partial record Notice
{
    public static Notice SerialOpen(string port, string settings) => Of("serialOpen", $"{port} open at {settings}", ("port", port), ("settings", settings));
    public static Notice SerialClosed(string port) => Of("serialClosed", $"{port} closed", ("port", port));
    public static Notice SerialLost(string port) => Of("serialLost", $"serial port {port} went away (unplugged?)", ("port", port));
    public static Notice SerialPortMissing() => Of("serialPortMissing", "no serial port given: pick one from the list or type its name");
    public static Notice SerialSettingsBad(string detail) => Of("serialSettingsBad", $"bad serial settings: {detail}", ("detail", detail));

    /// <summary>The port could not be opened; <c>why</c> is serialMissing, serialBusy, serialPermission or serialNotSerial.</summary>
    public static Notice SerialOpenFailed(string port, SerialPortException ex)
    {
        string why = ex.Kind switch
        {
            SerialErrorKind.Missing => "serialMissing",
            SerialErrorKind.Busy => "serialBusy",
            SerialErrorKind.PermissionDenied => "serialPermission",
            SerialErrorKind.NotSerial => "serialNotSerial",
            _ => "other",
        };
        return Of("serialOpenFailed", $"cannot open {port}: {ex.Message}", ("port", port), ("why", why), ("detail", ex.Message));
    }
}
