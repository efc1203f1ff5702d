namespace SocketLab.Web.Sessions;

/// <summary>Which way a logged event went; "info" and "error" are the session's own notes.</summary>
public enum LogDirection
{
    Rx,
    Tx,
    Info,
    Error,
}

/// <summary>One line of a session's log: bytes as they crossed the wire plus their decoded text.</summary>
public sealed record LogEntry(long Seq, DateTimeOffset Time, LogDirection Dir, string Peer, byte[] Data, string Text, bool Echo = false)
{
    public int Length => Data.Length;
}
