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

    public static ReplayPlan Build(IReadOnlyList<TranscriptEvent> events, long? connection)
    {
        List<TranscriptEvent> tcp = events.Where(e => e.Protocol == "tcp").ToList();
        if (tcp.Count == 0)
            throw new ReplayException(events.Count == 0 ? "the transcript is empty" : "the transcript holds no TCP connection (replay works on TCP transcripts from server or client)");
        List<long> ids = tcp.Select(e => e.Connection).Distinct().ToList();
        long id;
        if (connection is { } wanted)
        {
            if (!ids.Contains(wanted))
                throw new ReplayException($"no connection {wanted} in the transcript (it holds {string.Join(", ", ids)})");
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

        List<TranscriptEvent> mine = tcp.Where(e => e.Connection == id).ToList();
        string role = mine.Select(e => e.Role).FirstOrDefault(r => r is not null) ?? "client";
        TranscriptDirection sendDirection = role == "server" ? TranscriptDirection.In : TranscriptDirection.Out;
        DateTimeOffset start = mine[0].Time;

        var sends = new List<ReplayStep>();
        var chunks = new List<ReplyChunk>();
        using var replies = new MemoryStream();
        foreach (TranscriptEvent e in mine.Where(e => e.Kind == TranscriptEventKind.Data && !e.Data.IsEmpty))
        {
            if (e.Direction == sendDirection)
            {
                sends.Add(new ReplayStep(e.Time - start, e.Data.ToArray(), replies.Length));
            }
            else
            {
                chunks.Add(new ReplyChunk(replies.Length, e.Data.Length, e.Time));
                replies.Write(e.Data.Span);
            }
        }
        if (sends.Count == 0)
            throw new ReplayException($"connection {id} sent nothing; there is nothing to replay");
        return new ReplayPlan(id, role, sends, replies.ToArray(), chunks);
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
