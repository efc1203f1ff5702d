namespace SocketLab.Core.Tcp;

/// <summary>Why a connection ended.</summary>
public enum CloseReason
{
    /// <summary>The peer closed its side (FIN); everything owed was sent back first.</summary>
    RemoteClosed,
    /// <summary>The peer reset the connection (RST) or the network failed.</summary>
    Reset,
    /// <summary>This side closed it: shutdown, a kick, or the user.</summary>
    LocalClosed,
    /// <summary>Refused by a limit or rule: the maximum number of clients, --deny/--allow.</summary>
    Rejected,
    /// <summary>Nothing was sent or received for longer than the idle timeout.</summary>
    IdleTimeout,
    /// <summary>The TLS handshake failed or timed out; the detail says why.</summary>
    HandshakeFailed,
}
