namespace SocketLab.Core.Tcp;

public static class CloseReasonCodes
{
    /// <summary>The snake_case name JSON events and transcripts use: remote_closed, reset, local_closed, rejected, idle_timeout, handshake_failed.</summary>
    public static string Code(this CloseReason reason) => reason switch
    {
        CloseReason.RemoteClosed => "remote_closed",
        CloseReason.Reset => "reset",
        CloseReason.LocalClosed => "local_closed",
        CloseReason.IdleTimeout => "idle_timeout",
        CloseReason.HandshakeFailed => "handshake_failed",
        _ => "rejected",
    };
}
