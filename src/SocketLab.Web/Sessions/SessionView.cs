namespace SocketLab.Web.Sessions;

/// <summary>A log line as the page receives it: bytes in base64 (for hex view) plus the decoded text.</summary>
public sealed record LogEntryView(long Seq, long Time, string Dir, string Peer, int Len, string Text, string B64, bool Echo,
    string? Code, IReadOnlyDictionary<string, string>? Args)
{
    public static LogEntryView Of(LogEntry e) => new(
        e.Seq, e.Time.ToUnixTimeMilliseconds(), e.Dir.ToString().ToLowerInvariant(), e.Peer, e.Length, e.Text,
        Convert.ToBase64String(e.Data), e.Echo, e.Notice?.Code, e.Notice?.Args);
}

/// <summary>A <see cref="Notice"/> as the page receives it: code and parameters to word, English text as a fallback.</summary>
public sealed record NoticeView(string Code, IReadOnlyDictionary<string, string> Args, string Text)
{
    public static NoticeView? Of(Notice? n) => n is null ? null : new(n.Code, n.Args, n.Text);
}

/// <summary>Everything the page needs to draw one session's tab.</summary>
public sealed record SessionView(
    string Id, SessionKind Kind, string Title, bool Named, string State, NoticeView? Error, string Encoding, bool Echo, string Framing, VerifyView? Verify, StartRequest? Settings,
    long RxBytes, long TxBytes, long RxCount, long TxCount,
    object Details, IReadOnlyList<AutoReplyRule> Rules, RepeatView? Repeat, bool OledAvailable, string? Oled,
    IReadOnlyList<RateSample>? Rates, IReadOnlyList<LogEntryView>? Log, bool Recording, string? Transcript, bool Saving, string? Saved, ListRunView? ListRun)
{
    public static SessionView Of(Session s, int logTail) => new(
        s.Id, s.Kind, s.Title, s.Named, s.State, NoticeView.Of(s.LastError), s.EncodingName, s.Echo, s.Framing,
        s.Verify is { } v ? new VerifyView(v.Checksum.Name, v.Order is null ? null : v.Order == Core.Checksums.ByteOrder.LittleEndian ? "le" : "be") : null,
        s.Settings,
        s.Counters.RxBytes, s.Counters.TxBytes, s.Counters.RxCount, s.Counters.TxCount,
        s.Details(), s.Rules.Rules,
        s.RepeatProgress is { } p ? new RepeatView(p.Sent, p.Total) : null,
        s.OledGlass is not null, s.OledGlass is { } g && logTail > 0 ? Convert.ToBase64String(g) : null,
        logTail > 0 ? s.Counters.History() : null,
        logTail > 0 ? s.Log.Tail(logTail).Select(LogEntryView.Of).ToArray() : null,
        s.Transcript.On, s.Transcript.Path, s.Saving, s.SavedPath,
        s.ListRun is { } run ? new ListRunView(run.Name, run.Round, run.Step, run.Steps) : null);
}
