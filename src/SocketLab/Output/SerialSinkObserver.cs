using SocketLab.Core.Serial;

namespace SocketLab.Cli.Output;

/// <summary>A serial port's events on the console (and the OLED panel): data as the client shows it, the loss of the port as one line.</summary>
public sealed class SerialSinkObserver(ConsoleSink sink, OledPanel? panel = null) : ISerialObserver
{
    public const long StreamId = 1;

    /// <summary>When the last byte arrived or was sent (Environment.TickCount64), for --linger.</summary>
    public long LastActivityAt { get; private set; } = Environment.TickCount64;

    public void OnReceived(SerialLink link, ReadOnlySpan<byte> data)
    {
        LastActivityAt = Environment.TickCount64;
        sink.Data(EventKind.Received, StreamId, null, data);
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
        if (reason == SerialCloseReason.Lost)
            sink.Error($"{detail} ({link.BytesIn} bytes in, {link.BytesOut} bytes out)");
    }
}
