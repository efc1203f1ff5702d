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
/// <paramref name="Length"/> is always the chunk's full size.
/// </summary>
public sealed record LogEntry(long Seq, DateTimeOffset Time, LogDirection Dir, string Peer, byte[] Data, string Text, int Length, bool Echo = false, Notice? Notice = null)
{
    public bool Truncated => Data.Length < Length;
}

/// <summary>
/// What a session's own note means, for a page that shows it in its own words: a stable code and its
/// parameters (the entry's text is the English sentence). Codes: <c>recording_stopped</c> (path, error, events).
/// </summary>
public sealed record Notice(string Code, IReadOnlyDictionary<string, string> Args);
