namespace SocketLab.Web.Sessions;

/// <summary>A log line as the page receives it: bytes in base64 (for hex view) plus the decoded text.</summary>
public sealed record LogEntryView(long Seq, long Time, string Dir, string Peer, int Len, string Text, string B64, bool Echo, Notice? Notice = null)
{
    public static LogEntryView Of(LogEntry e) => new(
        e.Seq, e.Time.ToUnixTimeMilliseconds(), e.Dir.ToString().ToLowerInvariant(), e.Peer, e.Length, e.Text,
        Convert.ToBase64String(e.Data), e.Echo, e.Notice);
}

/// <summary>Everything the page needs to draw one session's tab.</summary>
public sealed record SessionView(
    string Id, SessionKind Kind, string Title, string State, string? Error, string Encoding, bool Echo,
    long RxBytes, long TxBytes, long RxCount, long TxCount,
    object Details, IReadOnlyList<AutoReplyRule> Rules, object? Repeat, bool OledAvailable, string? Oled,
    IReadOnlyList<RateSample>? Rates, IReadOnlyList<LogEntryView>? Log, bool Recording, string? Transcript)
{
    public static SessionView Of(Session s, int logTail) => new(
        s.Id, s.Kind, s.Title, s.State, s.LastError, s.EncodingName, s.Echo,
        s.Counters.RxBytes, s.Counters.TxBytes, s.Counters.RxCount, s.Counters.TxCount,
        s.Details(), s.Rules.Rules,
        s.RepeatProgress is { } p ? new { sent = p.Sent, total = p.Total } : null,
        s.OledGlass is not null, s.OledGlass is { } g && logTail > 0 ? Convert.ToBase64String(g) : null,
        logTail > 0 ? s.Counters.History() : null,
        logTail > 0 ? s.Log.Tail(logTail).Select(LogEntryView.Of).ToArray() : null,
        s.Transcript.On, s.Transcript.Path);
}
