using System.Net;
using SocketLab.Web.Board;

namespace SocketLab.Web.Hosting;

public sealed record UiHostOptions
{
    /// <summary>Loopback by default: the page can open sockets anywhere, so others must not reach it by accident.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Required on every API and WebSocket call; random when not given.</summary>
    public string? Token { get; init; }

    /// <summary>Folder of the history database (history.db); null keeps no history.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Folder of the Record toggle's transcripts; null: <c>transcripts</c> in <see cref="DataDirectory"/>, or in the temp folder without one.</summary>
    public string? TranscriptDirectory { get; init; }

    public string TranscriptFolder => TranscriptDirectory
        ?? Path.Combine(DataDirectory ?? Path.Combine(Path.GetTempPath(), "socketlab"), "transcripts");

    /// <summary>Makes one OLED per TCP session (the board display model by default); null shows no OLED.</summary>
    public Func<IBoardDisplay>? Screens { get; init; } = () => new BoardDisplay();

    /// <summary>The firmware the OLEDs draw as until a session's start asks for another, for <c>/api/info</c>.</summary>
    public string Firmware { get; init; } = "latest";

    /// <summary>Where the OLED's font came from, for <c>/api/info</c>: a file path, or null for the built-in font.</summary>
    public string? OledFontFile { get; init; }

    /// <summary>How 虚拟掌控板 sessions run board programs; null refuses them.</summary>
    public BoardProgramSettings? BoardPrograms { get; init; } = new();

    /// <summary>Log lines kept in memory per session (also bounded by bytes, see <see cref="Sessions.SessionLog"/>); older ones are in the history.</summary>
    public int LogCapacity { get; init; } = 100_000;

    /// <summary>Largest JSON request body (a pasted text to send included; bigger texts go as a file).</summary>
    public long MaxRequestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest file the page may upload to send.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest WebSocket message accepted from a page.</summary>
    public int MaxWebSocketMessageBytes { get; init; } = 4 * 1024;
}
