namespace SocketLab.Web.Sessions;

/// <summary>Which way a logged event went; "info" and "error" are the session's own notes.</summary>
public enum LogDirection
{
    Rx,
    Tx,
    Info,
    Error,
}

/// <summary>
/// One line of a session's log: the bytes as they crossed the wire (the first
/// <see cref="Session.MaxLoggedBytes"/> of a larger chunk) plus their decoded text;
/// <paramref name="Length"/> is always the chunk's full size. A note (info/error) carries its
/// <paramref name="Notice"/>, so the page can word it in the user's language.
/// </summary>
public sealed record LogEntry(long Seq, DateTimeOffset Time, LogDirection Dir, string Peer, byte[] Data, string Text, int Length, bool Echo = false, Notice? Notice = null)
{
    public bool Truncated => Data.Length < Length;

    /// <summary>Roughly what this entry costs in memory (bytes, text, object headers), for the log's byte budget.</summary>
    public long Weight => 96 + Data.Length + 2L * Text.Length;
}
