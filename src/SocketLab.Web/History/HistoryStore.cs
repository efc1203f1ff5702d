using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Text.Json;
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
    private volatile string? _failure;

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

    /// <summary>Events not stored because the writer fell more than 200,000 behind, or after storing failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Why storing stopped (e.g. the disk is full), or null while it works.</summary>
    public string? Failure => _failure;

    /// <summary>Raised once when a write fails and storing stops (sessions go on, in memory); the argument is a whole sentence.</summary>
    public event Action<string>? Failed;

    public void SessionStarted(Session session)
    {
        if (_failure is not null)
            return;
        try
        {
            lock (_writeLock)
            {
                using SqliteCommand cmd = _writer.CreateCommand();
                cmd.CommandText = "INSERT INTO sessions (run, key, kind, title, started_at) VALUES ($run, $key, $kind, $title, $t) RETURNING id";
                cmd.Parameters.AddWithValue("$run", _run);
                cmd.Parameters.AddWithValue("$key", session.Id);
                cmd.Parameters.AddWithValue("$kind", session.Kind.Name());
                cmd.Parameters.AddWithValue("$title", session.Title);
                cmd.Parameters.AddWithValue("$t", session.CreatedAt.ToUnixTimeMilliseconds());
                _ids[session] = (long)cmd.ExecuteScalar()!;
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            Stop(ex);
        }
    }

    /// <summary>Storing failed: say so once, in words (SQLite's code 13 is a full disk), and store nothing more.</summary>
    private void Stop(Exception ex)
    {
        string why = ex is SqliteException { SqliteErrorCode: 13 } ? "the disk is full"
            : ex is SqliteException sql ? $"SQLite error {sql.SqliteErrorCode}" : ex.Message.ReplaceLineEndings(" ");
        string sentence = $"history stopped: cannot write {Path}: {why}; sessions go on, nothing more is stored";
        if (Interlocked.CompareExchange(ref _failure, sentence, null) is null)
            Failed?.Invoke(sentence);
    }

    public void Logged(Session session, LogEntry entry)
    {
        if (_failure is not null)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
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
            try
            {
                if (_failure is null)
                    Write(batch);
                else
                    Interlocked.Add(ref _dropped, batch.Count);
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                Stop(ex);
            }
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
            cmd.CommandText = "INSERT INTO events (session, seq, time, dir, peer, len, echo, text, data, code, args) VALUES ($s, $seq, $t, $dir, $peer, $len, $echo, $text, $data, $code, $args)";
            SqliteParameter s = cmd.Parameters.Add("$s", SqliteType.Integer), seq = cmd.Parameters.Add("$seq", SqliteType.Integer),
                t = cmd.Parameters.Add("$t", SqliteType.Integer), dir = cmd.Parameters.Add("$dir", SqliteType.Text),
                peer = cmd.Parameters.Add("$peer", SqliteType.Text), len = cmd.Parameters.Add("$len", SqliteType.Integer),
                echo = cmd.Parameters.Add("$echo", SqliteType.Integer), text = cmd.Parameters.Add("$text", SqliteType.Text),
                data = cmd.Parameters.Add("$data", SqliteType.Blob), code = cmd.Parameters.Add("$code", SqliteType.Text),
                args = cmd.Parameters.Add("$args", SqliteType.Text);
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
                code.Value = (object?)e.Notice?.Code ?? DBNull.Value;
                args.Value = e.Notice is { } n ? JsonSerializer.Serialize(n.Args, Hosting.Json.Info<IReadOnlyDictionary<string, string>>()) : DBNull.Value;
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

    /// <summary>A stored session; <see cref="Named"/> when the user gave it a title (else the page shows its kind in its own language).</summary>
    public sealed record PastSession(long Id, string Kind, string Title, long StartedAt, long Events, long Bytes, bool Current)
    {
        public bool Named => !SessionKinds.TryParse(Kind, out SessionKind kind) || Title != kind.DefaultTitle();
    }

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

    /// <summary>A stored event with its row id (the key for paging).</summary>
    public sealed record StoredEvent(long Id, LogEntry Entry);

    /// <summary>
    /// One page of a past session's events in order (optionally only those whose text contains
    /// <paramref name="search"/>): the first <paramref name="limit"/> after row <paramref name="afterId"/>,
    /// or, with <paramref name="beforeId"/>, the last <paramref name="limit"/> before it.
    /// </summary>
    public IReadOnlyList<StoredEvent> Events(long session, string? search, int limit, long? afterId = null, long? beforeId = null)
    {
        using SqliteConnection db = OpenReader();
        using SqliteCommand cmd = db.CreateCommand();
        string where = "session = $s AND ($q IS NULL OR instr(lower(text), lower($q)) > 0)";
        cmd.CommandText = beforeId is null
            ? $"SELECT {Columns} FROM events WHERE {where} AND id > $after ORDER BY id LIMIT $limit"
            : $"SELECT * FROM (SELECT {Columns} FROM events WHERE {where} AND id < $before ORDER BY id DESC LIMIT $limit) ORDER BY id";
        cmd.Parameters.AddWithValue("$s", session);
        cmd.Parameters.AddWithValue("$q", string.IsNullOrEmpty(search) ? DBNull.Value : search);
        cmd.Parameters.AddWithValue("$limit", limit);
        cmd.Parameters.AddWithValue("$after", afterId ?? 0);
        cmd.Parameters.AddWithValue("$before", beforeId ?? long.MaxValue);
        var list = new List<StoredEvent>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(Read(r));
        return list;
    }

    /// <summary>Every event of a past session, in order, read in pages so an export of millions never sits in memory.</summary>
    public IEnumerable<LogEntry> AllEvents(long session, string? search)
    {
        long after = 0;
        while (true)
        {
            IReadOnlyList<StoredEvent> page = Events(session, search, 5000, afterId: after);
            foreach (StoredEvent e in page)
                yield return e.Entry;
            if (page.Count < 5000)
                yield break;
            after = page[^1].Id;
        }
    }

    /// <summary>How many events a past session has that match <paramref name="search"/>.</summary>
    public long CountEvents(long session, string? search)
    {
        using SqliteConnection db = OpenReader();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM events WHERE session = $s AND ($q IS NULL OR instr(lower(text), lower($q)) > 0)";
        cmd.Parameters.AddWithValue("$s", session);
        cmd.Parameters.AddWithValue("$q", string.IsNullOrEmpty(search) ? DBNull.Value : search);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>Deletes a past session and its events; false when there is none, or when it is still open in this run.</summary>
    public bool Delete(long session, out bool open)
    {
        open = _ids.Values.Contains(session);
        if (open)
            return false;
        lock (_writeLock)
        {
            using SqliteCommand cmd = _writer.CreateCommand();
            cmd.CommandText = "DELETE FROM sessions WHERE id = $s";
            cmd.Parameters.AddWithValue("$s", session);
            return cmd.ExecuteNonQuery() > 0;
        }
    }

    /// <summary>The user renamed a session's tab: its past entry takes the new name.</summary>
    public void SessionRenamed(Session session)
    {
        if (!_ids.TryGetValue(session, out long id))
            return;
        lock (_writeLock)
        {
            using SqliteCommand cmd = _writer.CreateCommand();
            cmd.CommandText = "UPDATE sessions SET title = $title WHERE id = $s";
            cmd.Parameters.AddWithValue("$title", session.Title);
            cmd.Parameters.AddWithValue("$s", id);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>A session was closed: its history can be deleted from now on.</summary>
    public void SessionEnded(Session session) => _ids.TryRemove(session, out _);

    private const string Columns = "id, seq, time, dir, peer, data, text, echo, len, code, args";

    private static StoredEvent Read(SqliteDataReader r)
    {
        Notice? notice = r.IsDBNull(9) ? null
            : new Notice(r.GetString(9), r.IsDBNull(10) ? new Dictionary<string, string>() : JsonSerializer.Deserialize(r.GetString(10), Hosting.Json.Info<Dictionary<string, string>>()) ?? [], r.GetString(6));
        var entry = new LogEntry(r.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)).ToLocalTime(),
            Enum.Parse<LogDirection>(r.GetString(3), ignoreCase: true), r.GetString(4), (byte[])r[5], r.GetString(6), r.GetInt32(8), r.GetInt64(7) != 0, notice);
        return new StoredEvent(r.GetInt64(0), entry);
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
        {
            try { _writer.Dispose(); }
            catch (SqliteException ex) { Stop(ex); } // The last checkpoint may not fit on a full disk either.
        }
    }
}

/// <summary>The history database could not be opened (unwritable folder, corrupt or newer file).</summary>
public sealed class HistoryUnavailableException(string message, Exception inner) : Exception(message, inner);
