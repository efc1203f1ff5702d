using SocketLab.Core.Transcripts;

namespace SocketLab.Core.Replay;

/// <summary>One recorded send: when it happened (from the start of the connection), its bytes, and how many reply bytes had come before it.</summary>
public sealed record ReplayStep(TimeSpan At, byte[] Data, long RepliesBefore);

/// <summary>A recorded reply chunk, to say which one a difference falls in.</summary>
public sealed record ReplyChunk(long Offset, int Length, DateTimeOffset Time);

/// <summary>A transcript that cannot be replayed as asked; the message says why and what to do.</summary>
public sealed class ReplayException(string message) : Exception(message);

/// <summary>
/// What to replay from a TCP transcript: the sends of one connection and the reply byte stream
/// that came back. For a client's transcript the sends are its outgoing bytes; for a server's, the
/// bytes its client sent (so the client is replayed against the server either way).
/// </summary>
public sealed class ReplayPlan
{
    private ReplayPlan(long connection, string role, IReadOnlyList<ReplayStep> sends, byte[] replies, IReadOnlyList<ReplyChunk> chunks)
    {
        Connection = connection;
        Role = role;
        Sends = sends;
        ExpectedReplies = replies;
        ReplyChunks = chunks;
    }

    public long Connection { get; }
    public string Role { get; }
    public IReadOnlyList<ReplayStep> Sends { get; }
    public byte[] ExpectedReplies { get; }
    public IReadOnlyList<ReplyChunk> ReplyChunks { get; }
    public long SendBytes => Sends.Sum(s => (long)s.Data.Length);

    /// <summary>Longest pause a replay makes before a send (about 24 days, what a timer can wait).</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    public static ReplayPlan Build(IReadOnlyList<TranscriptEvent> events, long? connection, double speed = 1, string name = "transcript") =>
        Build(_ => events, connection, speed, name);

    /// <summary>The plan for a transcript file, streamed (see <see cref="Build(Func{Func{string, long, bool}, IEnumerable{TranscriptEvent}}, long?, double, string)"/>).</summary>
    public static ReplayPlan FromFile(string path, long? connection, double speed = 1) =>
        Build(wantData => TranscriptReader.Stream(path, wantData: wantData), connection, speed, path);

    /// <summary>
    /// Builds the plan from a transcript read twice as a stream (<see cref="TranscriptReader.Stream"/>): once to
    /// find the connections (decoding no data), once to keep the chosen one's bytes; nothing else of the file
    /// is held in memory. <c>read</c> gets which data events, by (protocol, connection), to decode the bytes of.
    /// A send that would come more than <see cref="MaxPause"/> after the start at this <paramref name="speed"/>
    /// throws <see cref="TranscriptFormatException"/> naming its line.
    /// </summary>
    public static ReplayPlan Build(Func<Func<string, long, bool>, IEnumerable<TranscriptEvent>> read, long? connection, double speed = 1, string name = "transcript")
    {
        var ids = new List<long>();
        var seen = new HashSet<long>();
        bool any = false;
        foreach (TranscriptEvent e in read((_, _) => false))
        {
            any = true;
            if (e.Protocol == "tcp" && seen.Add(e.Connection))
                ids.Add(e.Connection);
        }
        if (ids.Count == 0)
            throw new ReplayException(!any ? "the transcript is empty" : "the transcript holds no TCP connection (replay works on TCP transcripts from server or client)");
        long id;
        if (connection is { } wanted)
        {
            if (!seen.Contains(wanted))
                throw new ReplayException($"no connection {wanted} in the transcript (it holds {string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", …" : "")})");
            id = wanted;
        }
        else if (ids.Count == 1)
        {
            id = ids[0];
        }
        else
        {
            throw new ReplayException($"the transcript holds {ids.Count} connections ({string.Join(", ", ids.Take(20))}{(ids.Count > 20 ? ", …" : "")}); pick one with --connection ID");
        }

        string? role = null;
        DateTimeOffset? start = null;
        var sends = new List<ReplayStep>();
        var chunks = new List<ReplyChunk>();
        using var replies = new MemoryStream();
        foreach (TranscriptEvent e in read((protocol, conn) => protocol == "tcp" && conn == id))
        {
            if (e.Protocol != "tcp" || e.Connection != id)
                continue;
            start ??= e.Time;
            role ??= e.Role;
            if (e.Kind != TranscriptEventKind.Data || e.Data.IsEmpty)
                continue;
            TranscriptDirection sendDirection = (role ?? "client") == "server" ? TranscriptDirection.In : TranscriptDirection.Out;
            if (e.Direction == sendDirection)
            {
                TimeSpan at = e.Time - start.Value;
                if (speed > 0 && at.TotalMilliseconds / speed > MaxPause.TotalMilliseconds)
                    throw new TranscriptFormatException(
                        $"{name}:{e.Line}: this send comes {at.TotalDays:0} days after the connection opened{(speed == 1 ? "" : $" ({at.TotalDays / speed:0} at --speed {speed})")}; a replay pauses at most {MaxPause.TotalDays:0} days (--speed 0 sends without pauses)");
                sends.Add(new ReplayStep(at, e.Data.ToArray(), replies.Length));
            }
            else
            {
                chunks.Add(new ReplyChunk(replies.Length, e.Data.Length, e.Time));
                replies.Write(e.Data.Span);
            }
        }
        if (sends.Count == 0)
            throw new ReplayException($"connection {id} sent nothing; there is nothing to replay");
        return new ReplayPlan(id, role ?? "client", sends, replies.ToArray(), chunks);
    }

    /// <summary>The recorded reply chunk that holds byte <paramref name="offset"/> (null past the end).</summary>
    public (int Index, ReplyChunk Chunk)? ChunkAt(long offset)
    {
        for (int i = 0; i < ReplyChunks.Count; i++)
        {
            if (offset < ReplyChunks[i].Offset + ReplyChunks[i].Length)
                return (i, ReplyChunks[i]);
        }
        return null;
    }
}
