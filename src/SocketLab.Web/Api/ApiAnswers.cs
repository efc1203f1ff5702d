using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

// The API's answers, named so their JSON code is generated at build time.

/// <summary>An error answer: the English text for API clients plus the code and parameters the page words itself.</summary>
public sealed record ApiError(string Error, string Code, IReadOnlyDictionary<string, string>? Args = null);

public sealed record ApiInfo(string? Version, string[] Addresses, IReadOnlyList<string> Encodings, IReadOnlyList<ChecksumInfo> Checksums,
    string Greeting, bool Oled, string OledFont, string Firmware, IReadOnlyList<string> Firmwares, bool History, long HistoryDropped);

public sealed record ChecksumInfo(string Name, string Title, int Size, string Order);

public sealed record SendAnswer(int Peers, bool Repeating);

public sealed record FileAnswer(long Sent);

public sealed record HistoryPage(long Total, IReadOnlyList<HistoryEventView> Events);

public sealed record HistoryEventView(long Id, LogEntryView Entry);

/// <summary>One line of a JSON Lines log export.</summary>
public sealed record ExportLine(long Seq, DateTimeOffset Time, LogDirection Dir, string Peer, int Len, bool Echo, string Text, string Hex);
