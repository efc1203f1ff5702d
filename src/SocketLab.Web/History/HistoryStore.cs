using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.History;

/// <summary>
/// Keeps every session and log event in one SQLite file (WAL) so past sessions can be browsed,
/// searched and exported after a restart. Socket threads only enqueue; one writer batches rows
/// into transactions, so a fast peer never waits for the disk.
/// </summary>
public sealed class HistoryStore : ISessionHistory, IAsyncDisposable
{
    public const string FileName = "history.db";
    private const int MaxQueued = 200_000;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Lock _writeLock = new();
    private readonly Channel<(long Session, LogEntry Entry)> _queue = Channel.CreateUnbounded<(long, LogEntry)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Session, long> _ids = new();
    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly Task _pump;
    private long _queued;
    private long _dropped;

    /// <summary>Opens (or creates) the database; throws <see cref="HistoryUnavailableException"/> with a readable reason.</summary>
    public HistoryStore(string directory)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString();
        _writer = new SqliteConnection(_connectionString);
        try
        {
            Directory.CreateDirectory(directory);
            _writer.Open();
            Exec(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
            HistorySchema.Migrate(_writer);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _writer.Dispose();
            throw new HistoryUnavailableException($"cannot open the history {Path}: {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
        _pump = Task.Run(PumpAsync);
    }

    public string Path { get; }

    /// <summary>Events not stored because the writer fell more than 200,000 behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void SessionStarted(Session session)
    {
        lock (_writeLock)
        {
            using SqliteCommand cmd = _writer.CreateCommand();
            cmd.CommandText = "INSERT INTO sessions (run, key, kind, title, started_at) VALUES ($run, $key, $kind, $title, $t) RETURNING id";
            cmd.Parameters.AddWithValue("$run", _run);
            cmd.Parameters.AddWithValue("$key", session.Id);
            cmd.Parameters.AddWithValue("$kind", Json.Kind(session.Kind));
            cmd.Parameters.AddWithValue("$title", session.Title);
            cmd.Parameters.AddWithValue("$t", session.CreatedAt.ToUnixTimeMilliseconds());
            _ids[session] = (long)cmd.ExecuteScalar()!;
        }
    }

    public void Logged(Session session, LogEntry entry)
    {
        if (!_ids.TryGetValue(session, out long id))
            return;
        if (Interlocked.Increment(ref _queued) > MaxQueued)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Writer.TryWrite((id, entry));
    }

    private async Task PumpAsync()
    {
        var batch = new List<(long Session, LogEntry Entry)>(1024);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 5000 && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            Write(batch);
            Interlocked.Add(ref _queued, -batch.Count);
            batch.Clear();
        }
    }

    private void Write(List<(long Session, LogEntry Entry)> batch)
    {
        lock (_writeLock)
        {
            using SqliteTransaction tx = _writer.BeginTransaction();
            using SqliteCommand cmd = _writer.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO events (session, seq, time, dir, peer, len, echo, text, data) VALUES ($s, $seq, $t, $dir, $peer, $len, $echo, $text, $data)";
            SqliteParameter s = cmd.Parameters.Add("$s", SqliteType.Integer), seq = cmd.Parameters.Add("$seq", SqliteType.Integer),
                t = cmd.Parameters.Add("$t", SqliteType.Integer), dir = cmd.Parameters.Add("$dir", SqliteType.Text),
                peer = cmd.Parameters.Add("$peer", SqliteType.Text), len = cmd.Parameters.Add("$len", SqliteType.Integer),
                echo = cmd.Parameters.Add("$echo", SqliteType.Integer), text = cmd.Parameters.Add("$text", SqliteType.Text),
                data = cmd.Parameters.Add("$data", SqliteType.Blob);
            foreach ((long session, LogEntry e) in batch)
            {
                s.Value = session;
                seq.Value = e.Seq;
                t.Value = e.Time.ToUnixTimeMilliseconds();
                dir.Value = e.Dir.ToString().ToLowerInvariant();
                peer.Value = e.Peer;
                len.Value = e.Length;
                echo.Value = e.Echo ? 1 : 0;
                text.Value = e.Text;
                data.Value = e.Data;
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    /// <summary>Waits until everything logged so far is on disk (tests, shutdown).</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _queued) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10).ConfigureAwait(false);
    }

    public sealed record PastSession(long Id, string Kind, string Title, long StartedAt, long Events, long Bytes, bool Current);

    /// <summary>Past and current sessions, newest first; with <paramref name="search"/>, only those whose text contains it.</summary>
    public IReadOnlyList<PastSession> Sessions(string? search, int limit = 200)
    {
        using SqliteConnection db = OpenReader();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT s.id, s.kind, s.title, s.started_at, count(e.id), coalesce(sum(e.len), 0), s.run = $run
            FROM sessions s LEFT JOIN events e ON e.session = s.id
            WHERE $q IS NULL OR EXISTS (SELECT 1 FROM events x WHERE x.session = s.id AND instr(lower(x.text), lower($q)) > 0)
            GROUP BY s.id ORDER BY s.id DESC LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$run", _run);
        cmd.Parameters.AddWithValue("$q", string.IsNullOrEmpty(search) ? DBNull.Value : search);
        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<PastSession>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new PastSession(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetBoolean(6)));
        return list;
    }

    /// <summary>One past session's events in order (optionally only those whose text contains <paramref name="search"/>).</summary>
    public IReadOnlyList<LogEntry> Events(long session, string? search, int limit = 100_000)
    {
        using SqliteConnection db = OpenReader();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT seq, time, dir, peer, data, text, echo, len FROM events
            WHERE session = $s AND ($q IS NULL OR instr(lower(text), lower($q)) > 0)
            ORDER BY id LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$s", session);
        cmd.Parameters.AddWithValue("$q", string.IsNullOrEmpty(search) ? DBNull.Value : search);
        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<LogEntry>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new LogEntry(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)).ToLocalTime(),
                Enum.Parse<LogDirection>(r.GetString(2), ignoreCase: true), r.GetString(3), (byte[])r[4], r.GetString(5), r.GetInt32(7), r.GetInt64(6) != 0));
        }
        return list;
    }

    private SqliteConnection OpenReader()
    {
        var db = new SqliteConnection(_connectionString);
        db.Open();
        return db;
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
        lock (_writeLock)
            _writer.Dispose();
    }

    /// <summary>Kinds stored as the API spells them.</summary>
    private static class Json
    {
        public static string Kind(SessionKind k) => k switch
        {
            SessionKind.TcpServer => "tcpServer",
            SessionKind.TcpClient => "tcpClient",
            SessionKind.Board => "board",
            _ => "udp",
        };
    }
}

/// <summary>The history database could not be opened (unwritable folder, corrupt or newer file).</summary>
public sealed class HistoryUnavailableException(string message, Exception inner) : Exception(message, inner);
