namespace SocketLab.Core.Tcp;

/// <summary>
/// A send or shutdown on a connection that has closed, or that failed while the bytes were going out.
/// The one exception <see cref="TcpConnection.SendAsync"/> and <see cref="TcpConnection.ShutdownSendAsync"/>
/// throw for the connection's own end (a caller's cancellation stays an <see cref="OperationCanceledException"/>).
/// </summary>
public sealed class ConnectionClosedException : Exception
{
    public ConnectionClosedException(CloseReason reason, string? detail = null, Exception? inner = null)
        : base(detail is null ? $"the connection is closed ({reason.Code()})" : $"the connection is closed ({reason.Code()}: {detail})", inner)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>How the connection ended, or why the send failed: <see cref="CloseReason.Reset"/> when the network failed it.</summary>
    public CloseReason Reason { get; }

    /// <summary>The network's words for a failure (e.g. "connection reset by peer"), if any.</summary>
    public string? Detail { get; }
}
