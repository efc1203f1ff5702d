using System.Text.Json.Serialization;

namespace SocketLab.Web.Sessions;

// What the WebSocket tells the page, one record per event type ("type" first, as the page reads it).

public sealed record HelloEvent(IReadOnlyList<SessionView> Sessions)
{
    [JsonPropertyOrder(-1)] public string Type => "hello";
}

/// <summary>A session was added or changed.</summary>
public sealed record SessionEvent(SessionView Session)
{
    [JsonPropertyOrder(-1)] public string Type => "session";
}

/// <summary>An event that only names its session: "removed", "relog", "cleared".</summary>
public sealed record SessionIdEvent([property: JsonPropertyOrder(-1)] string Type, string Session);

public sealed record StatsEvent(string Session, RateSample Rate, long RxBytes, long TxBytes, long RxCount, long TxCount, object Details)
{
    [JsonPropertyOrder(-1)] public string Type => "stats";
}

public sealed record FileEvent(string Session, string Name, long Sent, long? Total, bool Done)
{
    [JsonPropertyOrder(-1)] public string Type => "file";
}

public sealed record RepeatEvent(string Session, long Sent, long Total, bool Active)
{
    [JsonPropertyOrder(-1)] public string Type => "repeat";
}

public sealed record OledEvent(string Session, string Glass)
{
    [JsonPropertyOrder(-1)] public string Type => "oled";
}

public sealed record LogEvent(string Session, LogEntryView Entry)
{
    [JsonPropertyOrder(-1)] public string Type => "log";
}
