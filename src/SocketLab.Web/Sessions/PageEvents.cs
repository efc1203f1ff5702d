namespace SocketLab.Web.Sessions;

/// <summary>
/// Every event a page gets over <c>/ws</c>: <see cref="Type"/> names it and <see cref="Session"/> is always
/// the session's id (null only for <see cref="HelloEvent"/>, which carries all of them).
/// </summary>
public abstract record PageEvent(string Type, string? Session);

/// <summary>The first message on a socket: every session with its recent log.</summary>
public sealed record HelloEvent(SessionView[] Sessions) : PageEvent("hello", null);

/// <summary>A session was created or changed (state, settings, title): its whole view.</summary>
public sealed record SessionChangedEvent(string Session, SessionView View) : PageEvent("session", Session);

public sealed record SessionRemovedEvent(string Session) : PageEvent("removed", Session);

public sealed record LogEvent(string Session, LogEntryView Entry) : PageEvent("log", Session);

/// <summary>The log's lines were re-decoded (encoding or framing changed): fetch them again.</summary>
public sealed record RelogEvent(string Session) : PageEvent("relog", Session);

public sealed record ClearedEvent(string Session) : PageEvent("cleared", Session);

/// <summary>The virtual OLED's pixels, base64 of 128×64 bits.</summary>
public sealed record OledEvent(string Session, string Glass) : PageEvent("oled", Session);

public sealed record RepeatEvent(string Session, long Sent, int Total, bool Active) : PageEvent("repeat", Session);

public sealed record FileEvent(string Session, string Name, long Sent, long? Total, bool Done) : PageEvent("file", Session);

/// <summary>Once a second per session: the last second's rates, the totals and the kind's details.</summary>
public sealed record StatsEvent(string Session, RateSample Rate, long RxBytes, long TxBytes, long RxCount, long TxCount, object Details) : PageEvent("stats", Session);
