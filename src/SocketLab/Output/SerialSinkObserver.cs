using SocketLab.Core.Serial;

namespace SocketLab.Cli.Output;

/// <summary>A serial port's events on the console (and the OLED panel): data as the client shows it, the loss of the port as one line.</summary>
public sealed class SerialSinkObserver(ConsoleSink sink, OledPanel? panel = null, DisplayFramer? framer = null) : ISerialObserver
{
    public const long StreamId = 1;

    /// <summary>When the last byte arrived or was sent (Environment.TickCount64), for --linger.</summary>
    public long LastActivityAt { get; private set; } = Environment.TickCount64;

    public void OnReceived(SerialLink link, ReadOnlySpan<byte> data)
    {
        LastActivityAt = Environment.TickCount64;
        if (framer is null)
            sink.Data(EventKind.Received, StreamId, null, data);
        else
            framer.Feed(StreamId, 0, data, frame => sink.Data(EventKind.Received, StreamId, null, frame), link.Port);
        panel?.OnReceived(StreamId, data);
    }

    public void OnSent(SerialLink link, ReadOnlySpan<byte> data)
    {
        LastActivityAt = Environment.TickCount64;
        if (sink.Options.ShowSent || sink.Options.Json)
            sink.Data(EventKind.Sent, StreamId, null, data);
    }

    public void OnClosed(SerialLink link, SerialCloseReason reason, string? detail)
    {
        framer?.End(StreamId, 0, frame => sink.Data(EventKind.Received, StreamId, null, frame));
        if (reason == SerialCloseReason.Lost)
            sink.Error($"{detail} ({link.BytesIn} bytes in, {link.BytesOut} bytes out)");
    }
}
