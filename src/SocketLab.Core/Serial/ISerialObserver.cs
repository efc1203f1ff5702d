namespace SocketLab.Core.Serial;

/// <summary>Why a serial session ended.</summary>
public enum SerialCloseReason
{
    /// <summary>Closed on purpose (Ctrl+C, the page's Close).</summary>
    LocalClosed,
    /// <summary>The port went away under the session (USB unplugged, the other end of a pty closed).</summary>
    Lost,
}

/// <summary>Events of a <see cref="SerialLink"/>, raised on its read loop (received, closed) or the sender's thread (sent).</summary>
public interface ISerialObserver
{
    void OnReceived(SerialLink link, ReadOnlySpan<byte> data);
    void OnSent(SerialLink link, ReadOnlySpan<byte> data);
    void OnClosed(SerialLink link, SerialCloseReason reason, string? detail);
}
