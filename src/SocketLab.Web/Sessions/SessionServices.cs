using SocketLab.Web.Board;
using SocketLab.Web.Hosting;

namespace SocketLab.Web.Sessions;

/// <summary>What every session shares: the live event fan-out, the OLED model (if built in), the history, the transcripts' folder and how board programs run.</summary>
public sealed class SessionServices(EventHub hub, Func<IBoardDisplay>? screens, ISessionHistory history, int logCapacity, string transcriptDirectory, BoardProgramSettings? boardPrograms = null)
{
    public BoardProgramSettings? BoardPrograms { get; } = boardPrograms;
    public string TranscriptDirectory { get; } = transcriptDirectory;
    public EventHub Hub { get; } = hub;
    public Func<IBoardDisplay>? Screens { get; } = screens;
    public ISessionHistory History { get; } = history;
    public int LogCapacity { get; } = logCapacity;
}

/// <summary>Where sessions and their log lines are kept for later (SQLite in the app, nothing in some tests).</summary>
public interface ISessionHistory
{
    void SessionStarted(Session session);
    void Logged(Session session, LogEntry entry);
    void SessionEnded(Session session);
    void SessionRenamed(Session session);
}

public sealed class NoHistory : ISessionHistory
{
    public static readonly NoHistory Instance = new();
    public void SessionStarted(Session session) { }
    public void Logged(Session session, LogEntry entry) { }
    public void SessionEnded(Session session) { }
    public void SessionRenamed(Session session) { }
}
