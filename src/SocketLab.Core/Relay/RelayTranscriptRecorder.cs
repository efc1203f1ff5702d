using SocketLab.Core.Net;
using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Relay;

/// <summary>
/// Records relayed connections into one transcript, role <c>relay</c>, as a client of the device would record
/// them: <c>out</c> is what went to the device, <c>in</c> what came back; <c>local</c> is the client, <c>remote</c>
/// the device. So <c>socketlab replay FILE --to DEVICE</c> plays a relayed client against the device again.
/// Chunks --drop kept back are not recorded (the transcript holds what each end was given).
/// </summary>
public sealed class RelayTranscriptRecorder(TranscriptWriter writer) : IRelayObserver
{
    public const string Role = "relay";

    public void OnOpened(RelayConnection c) => writer.Write(Event(c, TranscriptEventKind.Open));

    public void OnUpstreamFailed(RelayConnection c, string reason) { }

    public void OnData(RelayConnection c, RelayDirection direction, ReadOnlySpan<byte> data, bool dropped)
    {
        if (!dropped)
            writer.Write(Event(c, TranscriptEventKind.Data) with { Direction = direction == RelayDirection.ToDevice ? TranscriptDirection.Out : TranscriptDirection.In, Data = data.ToArray() });
    }

    public void OnHalfClosed(RelayConnection c, RelayDirection direction) { }

    public void OnReset(RelayConnection c, RelayDirection direction) { }

    public void OnClosed(RelayConnection c)
    {
        if (c.Device is not null)
            writer.Write(Event(c, TranscriptEventKind.Close) with { Reason = c.WasReset ? "reset" : "remote_closed" });
    }

    private static TranscriptEvent Event(RelayConnection c, TranscriptEventKind kind) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = "tcp",
        Role = Role,
        Connection = c.Id,
        Kind = kind,
        Local = EndpointText.HostPort(c.Client),
        Remote = c.Device is null ? null : EndpointText.HostPort(c.Device),
    };
}
