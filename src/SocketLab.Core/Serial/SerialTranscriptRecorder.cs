using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Serial;

/// <summary>
/// Records a serial session into a transcript: <c>"proto":"serial"</c>, the port as <c>remote</c>,
/// <c>in</c> for what the device sent and <c>out</c> for what was sent to it, and a close event
/// (<c>local_closed</c>, or <c>lost</c> when the port went away).
/// </summary>
public sealed class SerialTranscriptRecorder(TranscriptWriter writer, string role = "serial", long connection = 1) : ISerialObserver
{
    public const string Protocol = "serial";

    /// <summary>The open event, with the settings ("115200 8N1") as detail.</summary>
    public void OnOpened(SerialLink link) => writer.Write(Event(link, TranscriptEventKind.Open) with { Detail = link.Settings.Describe() });

    public void OnReceived(SerialLink link, ReadOnlySpan<byte> data) =>
        writer.Write(Event(link, TranscriptEventKind.Data) with { Direction = TranscriptDirection.In, Data = data.ToArray() });

    public void OnSent(SerialLink link, ReadOnlySpan<byte> data) =>
        writer.Write(Event(link, TranscriptEventKind.Data) with { Direction = TranscriptDirection.Out, Data = data.ToArray() });

    public void OnClosed(SerialLink link, SerialCloseReason reason, string? detail) =>
        writer.Write(Event(link, TranscriptEventKind.Close) with { Reason = Code(reason), Detail = detail });

    /// <summary>"local_closed" or "lost", as transcripts and JSON events say it.</summary>
    public static string Code(SerialCloseReason reason) => reason == SerialCloseReason.Lost ? "lost" : "local_closed";

    private TranscriptEvent Event(SerialLink link, TranscriptEventKind kind) => new()
    {
        Time = DateTimeOffset.Now,
        Protocol = Protocol,
        Role = role,
        Connection = connection,
        Kind = kind,
        Remote = link.Port,
    };
}
