using System.Collections.Concurrent;

namespace SocketLab.Web.Sessions;

/// <summary>Holds the running sessions (they outlive page reloads) and samples their rates once a second.</summary>
public sealed class SessionManager : IAsyncDisposable
{
    public const int MaxSessions = 32;

    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly SessionServices _services;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sampler;
    private int _nextId;

    public SessionManager(SessionServices services)
    {
        _services = services;
        _sampler = Task.Run(SampleLoopAsync);
    }

    public IReadOnlyList<Session> All => _sessions.Values.OrderBy(s => s.CreatedAt).ToArray();

    public Session? Find(string id) => _sessions.GetValueOrDefault(id);

    public Session Create(SessionKind kind, string? title)
    {
        if (_sessions.Count >= MaxSessions)
            throw new SessionException(Notice.TooManySessions(MaxSessions), conflict: true);
        string id = "s" + Interlocked.Increment(ref _nextId);
        Session session = kind switch
        {
            SessionKind.TcpServer => new TcpServerSession(id, _services),
            SessionKind.TcpClient => new TcpClientSession(id, _services),
            SessionKind.Board => new BoardSession(id, _services),
            _ => new UdpSession(id, _services),
        };
        if (title is { Length: > 0 })
            session.Rename(title);
        _sessions[id] = session;
        _services.History.SessionStarted(session);
        _services.Hub.Publish(new SessionEvent(SessionView.Of(session, logTail: 0)));
        return session;
    }

    public async Task<bool> RemoveAsync(string id)
    {
        if (!_sessions.TryRemove(id, out Session? session))
            return false;
        await session.DisposeAsync().ConfigureAwait(false);
        _services.History.SessionEnded(session);
        _services.Hub.Publish(new SessionIdEvent("removed", id));
        return true;
    }

    private async Task SampleLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                DateTimeOffset now = DateTimeOffset.Now;
                foreach (Session s in _sessions.Values)
                {
                    RateSample sample = s.Counters.Sample(now);
                    _services.Hub.Publish(new StatsEvent(s.Id, sample, s.Counters.RxBytes, s.Counters.TxBytes, s.Counters.RxCount, s.Counters.TxCount, s.Details()));
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        await _sampler.ConfigureAwait(false);
        foreach (Session s in _sessions.Values)
            await s.DisposeAsync().ConfigureAwait(false);
        _sessions.Clear();
        _stopping.Dispose();
    }
}
