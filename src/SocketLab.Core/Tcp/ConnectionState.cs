namespace SocketLab.Core.Tcp;

/// <summary>
/// Where a <see cref="TcpConnection"/> is in its life. It only moves forward:
/// <code>
///   Handshaking ──TLS done──▶ Open ──reading ends──▶ Closing ──released, reported──▶ Closed
///        │                                              ▲
///        └──────── handshake fails, or a limit rejects ─┘ (straight to Closed)
/// </code>
/// Reading ends when the peer sends FIN or RST, or on <see cref="TcpConnection.Close"/>,
/// <see cref="TcpConnection.Abort"/> or the idle timeout. While <see cref="Closing"/>, what is owed is
/// sent (bounded by <see cref="TcpConnection.DrainTimeout"/>), then FIN, then what the peer still sends
/// is read and dropped until its FIN (<see cref="TcpConnection.LingerTimeout"/>) so that no RST destroys
/// echoes it has not read. <see cref="IConnectionObserver.OnClosed"/> is called exactly once, on the
/// move to <see cref="Closed"/>.
/// </summary>
public enum ConnectionState
{
    /// <summary>A TLS server connection before its handshake completes; plain connections start <see cref="Open"/>.</summary>
    Handshaking,

    /// <summary>Reading, echoing and sending.</summary>
    Open,

    /// <summary>Reading has stopped; queued sends drain, then FIN (or RST after an abort or a failure).</summary>
    Closing,

    /// <summary>The socket is released and the observer told why.</summary>
    Closed,
}
