using SocketLab.Core.Net;
using SocketLab.Core.Relay;
using SocketLab.Core.Tcp;

namespace SocketLab.Cli.Output;

/// <summary>
/// The relay on the console: each connection's bytes with their direction ("→ device" from the client,
/// "← device" back), time and connection number; opens, FINs, resets and closes as lines. In JSON the
/// bytes to the device are "sent" events and the device's are "received" events.
/// </summary>
public sealed class RelaySinkObserver(ConsoleSink sink, DisplayFramer? framer = null) : IRelayObserver
{
    public const string ToDeviceLabel = "→ device ";
    public const string ToClientLabel = "← device ";

    /// <summary>--quiet shows no bytes, so a quiet relay without a transcript passes them without copying.</summary>
    public bool ReadsData => !sink.Options.Quiet;

    public void OnOpened(RelayConnection c)
    {
        if (sink.Options.Json)
            sink.Post(new OutputEvent { Kind = EventKind.Connected, ConnectionId = c.Id, Remote = c.Client, Local = c.Listener });
        else
            sink.Line($"{Stamp(c)}{EndpointText.PythonTuple(c.Client)} connected, relaying to {EndpointText.HostPort(c.Device!)}");
    }

    public void OnUpstreamFailed(RelayConnection c, string reason) =>
        sink.Error($"#{c.Id} {EndpointText.HostPort(c.Client)}: {reason}; the client was reset");

    public void OnData(RelayConnection c, RelayDirection direction, ReadOnlySpan<byte> data, bool dropped)
    {
        string label = direction == RelayDirection.ToDevice ? ToDeviceLabel : ToClientLabel;
        EventKind kind = direction == RelayDirection.ToDevice ? EventKind.Sent : EventKind.Received;
        if (framer is null || dropped)
            sink.Data(kind, c.Id, c.Client, data, dropped ? $"{label}(dropped) " : label);
        else
            framer.Feed(c.Id, (int)direction, data, frame => sink.Data(kind, c.Id, c.Client, frame, label), $"#{c.Id} {label.Trim()}");
    }

    public void OnHalfClosed(RelayConnection c, RelayDirection direction)
    {
        if (!sink.Options.Json)
            sink.Line(direction == RelayDirection.ToDevice ? $"{Stamp(c)}client half-closed (FIN → device)" : $"{Stamp(c)}device half-closed (FIN → client)");
    }

    public void OnReset(RelayConnection c, RelayDirection direction)
    {
        if (!sink.Options.Json)
            sink.Line(direction == RelayDirection.ToDevice ? $"{Stamp(c)}client reset the connection (RST → device)" : $"{Stamp(c)}device reset the connection (RST → client)");
    }

    public void OnClosed(RelayConnection c)
    {
        if (c.Device is null)
            return;
        framer?.End(c.Id, (int)RelayDirection.ToDevice, frame => sink.Data(EventKind.Sent, c.Id, c.Client, frame, ToDeviceLabel));
        framer?.End(c.Id, (int)RelayDirection.ToClient, frame => sink.Data(EventKind.Received, c.Id, c.Client, frame, ToClientLabel));
        if (!sink.Options.Json)
        {
            sink.Line($"{Stamp(c)}closed{(c.WasReset ? " by a reset" : "")}: {c.BytesToDevice} bytes → device, {c.BytesToClient} bytes ← device");
            return;
        }
        sink.Post(new OutputEvent
        {
            Kind = EventKind.Closed,
            ConnectionId = c.Id,
            Remote = c.Client,
            Reason = c.WasReset ? CloseReason.Reset : CloseReason.RemoteClosed,
            Text = c.WasReset ? "reset passed through" : null,
            BytesIn = c.BytesToClient,
            BytesOut = c.BytesToDevice,
        });
    }

    private static string Stamp(RelayConnection c) => $"{DateTimeOffset.Now:HH:mm:ss.fff} #{c.Id} ";
}
