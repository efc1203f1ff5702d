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

/// <summary>What a relay session tells its user.</summary>
public sealed partial record Notice
{
    public static Notice RelayListening(string address, string target) => Of("relayListening", $"listening on {address}; each client is relayed to {target}", ("address", address), ("target", target));
    public static Notice RelayOpened(string peer, string device) => Of("relayOpened", $"{peer} connected, relaying to {device}", ("peer", peer), ("device", device));
    public static Notice RelayDeviceFailed(string peer, string detail) => Of("relayDeviceFailed", $"{peer}: {detail}; the client was reset", ("peer", peer), ("detail", detail));
    public static Notice RelayFin(string peer, bool fromClient) => fromClient
        ? Of("relayClientFin", $"{peer}: client half-closed (FIN → device)", ("peer", peer))
        : Of("relayDeviceFin", $"{peer}: device half-closed (FIN → client)", ("peer", peer));
    public static Notice RelayReset(string peer, bool fromClient) => fromClient
        ? Of("relayClientReset", $"{peer}: client reset the connection (RST → device)", ("peer", peer))
        : Of("relayDeviceReset", $"{peer}: device reset the connection (RST → client)", ("peer", peer));
    public static Notice RelayClosed(string peer, long toDevice, long toClient) =>
        Of("relayClosed", $"{peer} closed: {toDevice} bytes → device, {toClient} bytes ← device", ("peer", peer), ("toDevice", toDevice), ("toClient", toClient));
    public static Notice RelaySends() => Of("relaySends", "a relay passes on what client and device send; it sends nothing of its own");
}
