using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Bridge;

/// <summary>
/// Records a bridge into a transcript: <c>"proto":"bridge"</c>, the first endpoint as <c>local</c> and the
/// second as <c>remote</c>, <c>out</c> for bytes from the first to the second and <c>in</c> for the way back.
/// </summary>
public sealed class BridgeTranscriptRecorder(TranscriptWriter writer, string a, string b) : IBridgeObserver
{
    public const string Protocol = "bridge";

    public void OnOpened() => writer.Write(Event(TranscriptEventKind.Open));

    public void OnData(BridgeDirection direction, ReadOnlySpan<byte> data) =>
        writer.Write(Event(TranscriptEventKind.Data) with { Direction = direction == BridgeDirection.AToB ? TranscriptDirection.Out : TranscriptDirection.In, Data = data.ToArray() });

    public void OnNotice(string text) { }

    /// <summary>The close event: <paramref name="reason"/> is remote_closed, reset, lost or local_closed.</summary>
    public void OnClosed(string reason, string? detail) => writer.Write(Event(TranscriptEventKind.Close) with { Reason = reason, Detail = detail });

    private TranscriptEvent Event(TranscriptEventKind kind) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = Protocol,
        Role = Protocol,
        Connection = 1,
        Kind = kind,
        Local = a,
        Remote = b,
    };
}
