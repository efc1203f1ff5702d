using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Replay;

/// <summary>A send or a recorded reply chunk of the replayed connection, in file order.</summary>
public abstract record ReplayItem(ReadOnlyMemory<byte> Data, int Line);

/// <summary>One recorded send: when it happened (from the start of the connection), its bytes, and how many reply bytes had come before it.</summary>
public sealed record ReplayStep(TimeSpan At, ReadOnlyMemory<byte> Data, long RepliesBefore, int Line = 0) : ReplayItem(Data, Line);

/// <summary>A recorded reply chunk: where it starts in the reply stream, its bytes, when it came and which one it is (0-based).</summary>
public sealed record ReplyChunk(long Offset, ReadOnlyMemory<byte> Data, DateTimeOffset Time, int Index, int Line = 0) : ReplayItem(Data, Line);

/// <summary>A transcript that cannot be replayed as asked; the message says why and what to do.</summary>
/// <summary>What keeps a transcript from being replayed, as a code (a front end adds how to choose).</summary>
public enum ReplayProblem
{
    NothingToReplay,
    NoSuchConnection,
    /// <summary>Several connections and none chosen: the message lists them.</summary>
    SeveralConnections,
    /// <summary>A pause longer than a replay waits (at this speed); replaying without pauses works.</summary>
    PauseTooLong,
}

/// <summary>Which end of the recorded connection a replay plays.</summary>
public enum ReplaySide
{
    /// <summary>Send what the client sent, compare what the server (device) answers: <c>replay --to</c>.</summary>
    Client,
    /// <summary>Send what the server (device) sent, compare what the client sends: <c>replay --listen</c>.</summary>
    Device,
}

public sealed class ReplayException(ReplayProblem problem, string message) : Exception(message)
{
    public ReplayProblem Problem { get; } = problem;
}

/// <summary>
/// What to replay from a TCP transcript: the sends of one connection and the reply byte stream
/// that came back. Played from the <see cref="ReplaySide.Client"/> side, the sends are what the
/// client sent (its <c>out</c> bytes in a client's or relay's transcript, the <c>in</c> bytes in a
/// server's), so the client is replayed against the server either way; from the
/// <see cref="ReplaySide.Device"/> side the sends are what the server sent and the "replies" are
/// what the client sent.
/// The plan holds counts only: <see cref="Items"/> reads the connection's sends and replies again,
/// as a stream, each time it is enumerated, so a transcript of any size replays in bounded memory.
/// </summary>
public sealed class ReplayPlan
{
    private readonly Func<IEnumerable<ReplayItem>> _items;

    private ReplayPlan(long connection, string role, ReplaySide side, Func<IEnumerable<ReplayItem>> items)
    {
        Connection = connection;
        Role = role;
        Side = side;
        _items = items;
    }

    public long Connection { get; }
    public string Role { get; }
    /// <summary>The end this plan plays: its sends are that end's bytes.</summary>
    public ReplaySide Side { get; }
    public int SendCount { get; private set; }
    public long SendBytes { get; private set; }
    public int ReplyCount { get; private set; }
    /// <summary>Bytes of the recorded reply stream.</summary>
    public long ExpectedLength { get; private set; }

    /// <summary>The connection's sends and reply chunks in file order, read again on each enumeration.</summary>
    public IEnumerable<ReplayItem> Items() => _items();

    /// <summary>The sends, all in memory (for tests and small transcripts).</summary>
    public IReadOnlyList<ReplayStep> Sends => Items().OfType<ReplayStep>().ToList();

    /// <summary>The recorded reply stream, all in memory (for tests and small transcripts).</summary>
    public byte[] ExpectedReplies => [.. Items().OfType<ReplyChunk>().SelectMany(c => c.Data.ToArray())];

    /// <summary>The recorded reply chunk that holds byte <paramref name="offset"/> (null past the end).</summary>
    public (int Index, ReplyChunk Chunk)? ChunkAt(long offset) =>
        Items().OfType<ReplyChunk>().FirstOrDefault(c => offset < c.Offset + c.Data.Length) is { } hit ? (hit.Index, hit) : null;

    /// <summary>Longest pause a replay makes before a send (about 24 days, what a timer can wait).</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    public static ReplayPlan Build(IReadOnlyList<TranscriptEvent> events, long? connection, double speed = 1, string name = "transcript", ReplaySide side = ReplaySide.Client) =>
        Build(_ => events, connection, speed, name, side);

    /// <summary>The plan for a transcript file, streamed (see <see cref="Build(Func{Func{string, long, bool}, IEnumerable{TranscriptEvent}}, long?, double, string, ReplaySide)"/>).</summary>
    public static ReplayPlan FromFile(string path, long? connection, double speed = 1, ReplaySide side = ReplaySide.Client) =>
        Build(wantData => TranscriptReader.Stream(path, wantData: wantData), connection, speed, path, side);

    /// <summary>
    /// Builds the plan from a transcript read as a stream (<see cref="TranscriptReader.Stream"/>): once to
    /// find the connections (decoding no data), once to count and check the chosen one's sends and replies;
    /// <see cref="Items"/> reads them a third time while replaying. Nothing else of the file is held in memory.
    /// <c>read</c> gets which data events, by (protocol, connection), to decode the bytes of.
    /// A send that would come more than <see cref="MaxPause"/> after the start at this <paramref name="speed"/>
    /// throws <see cref="ReplayException"/> (<see cref="ReplayProblem.PauseTooLong"/>) naming its line.
    /// </summary>
    public static ReplayPlan Build(Func<Func<string, long, bool>, IEnumerable<TranscriptEvent>> read, long? connection, double speed = 1, string name = "transcript", ReplaySide side = ReplaySide.Client)
    {
        var ids = new List<long>();
        var seen = new HashSet<long>();
        bool any = false;
        string? role = null;
        foreach (TranscriptEvent e in read((_, _) => false))
        {
            any = true;
            if (e.Protocol == "tcp" && seen.Add(e.Connection))
                ids.Add(e.Connection);
        }
        if (ids.Count == 0)
            throw new ReplayException(ReplayProblem.NothingToReplay, !any ? "the transcript is empty" : "the transcript holds no TCP connection (replay works on TCP transcripts from server or client)");
        long id;
        if (connection is { } wanted)
        {
            if (!seen.Contains(wanted))
                throw new ReplayException(ReplayProblem.NoSuchConnection, $"no connection {wanted} in the transcript (it holds {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", …" : "")})");
            id = wanted;
        }
        else if (ids.Count == 1)
        {
            id = ids[0];
        }
        else
        {
            throw new ReplayException(ReplayProblem.SeveralConnections, $"the transcript holds {ids.Count} connections ({string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", …" : "")}); pick one");
        }

        foreach (TranscriptEvent e in read((_, _) => false))
        {
            if (e.Protocol == "tcp" && e.Connection == id && e.Role is not null)
            {
                role = e.Role;
                break;
            }
        }
        role ??= "client";
        // A server recorded its client's bytes as "in"; a client or a relay recorded them as "out".
        TranscriptDirection clientSent = role == "server" ? TranscriptDirection.In : TranscriptDirection.Out;
        TranscriptDirection sendDirection = side == ReplaySide.Client ? clientSent
            : clientSent == TranscriptDirection.In ? TranscriptDirection.Out : TranscriptDirection.In;
        IEnumerable<ReplayItem> Items() => ItemsOf(read((protocol, conn) => protocol == "tcp" && conn == id), id, sendDirection);

        var plan = new ReplayPlan(id, role, side, Items);
        foreach (ReplayItem item in Items())
        {
            if (item is ReplayStep step)
            {
                if (speed > 0 && step.At.TotalMilliseconds / speed > MaxPause.TotalMilliseconds)
                    throw new ReplayException(ReplayProblem.PauseTooLong,
                        $"{name}:{step.Line}: this send comes {step.At.TotalDays:0} days after the connection opened{(speed == 1 ? "" : $" ({step.At.TotalDays / speed:0} at {speed}× speed)")}; a replay pauses at most {MaxPause.TotalDays:0} days");
                plan.SendCount++;
                plan.SendBytes += step.Data.Length;
            }
            else
            {
                plan.ReplyCount++;
                plan.ExpectedLength += item.Data.Length;
            }
        }
        // The device's side may only listen (a client that uploads); a client that sent nothing has nothing to replay.
        if (plan.SendCount == 0 && (side == ReplaySide.Client || plan.ReplyCount == 0))
            throw new ReplayException(ReplayProblem.NothingToReplay, side == ReplaySide.Client
                ? $"connection {id} sent nothing; there is nothing to replay"
                : $"connection {id} carried no data either way; there is nothing to replay");
        return plan;
    }

    private static IEnumerable<ReplayItem> ItemsOf(IEnumerable<TranscriptEvent> events, long id, TranscriptDirection sendDirection)
    {
        DateTimeOffset? start = null;
        long replies = 0;
        int index = 0;
        foreach (TranscriptEvent e in events)
        {
            if (e.Protocol != "tcp" || e.Connection != id)
                continue;
            start ??= e.Time;
            if (e.Kind != TranscriptEventKind.Data || e.Data.IsEmpty)
                continue;
            if (e.Direction == sendDirection)
            {
                yield return new ReplayStep(e.Time - start.Value, e.Data, replies, e.Line);
            }
            else
            {
                yield return new ReplyChunk(replies, e.Data, e.Time, index++, e.Line);
                replies += e.Data.Length;
            }
        }
    }
}
