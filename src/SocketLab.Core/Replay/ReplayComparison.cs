using SocketLab.Core.Net;

namespace SocketLab.Core.Replay;

/// <summary>
/// Compares the replies of a replay with the recorded ones as both come in, so neither stream is held
/// whole: recorded chunks wait only until the server's bytes reach them, received bytes are taken from
/// the inbox as soon as they are compared. Keeps what a report needs: where the streams part, up to
/// <see cref="Context"/> bytes of each from there, and the recorded chunk it falls in.
/// </summary>
internal sealed class ReplayComparison(long expectedLength)
{
    /// <summary>How many bytes from the first difference are kept for the report.</summary>
    public const int Context = 32;

    private readonly Queue<ReplyChunk> _pending = new();
    private readonly List<byte> _expectedExcerpt = [];
    private readonly List<byte> _receivedExcerpt = [];
    private int _headUsed; // Bytes of the first pending chunk already compared.
    private long _pendingBytes;
    private long _fed;
    private long _compared;
    private StreamDifference? _difference;
    private ReplyChunk? _differenceChunk;

    /// <summary>Whether more recorded chunks can still change the report (false once the outcome and its excerpt are known).</summary>
    public bool WantsMore => _difference is null ? _pendingBytes < Context : _expectedExcerpt.Count < Context;

    /// <summary>A recorded reply chunk, in order.</summary>
    public void Expect(ReplyChunk chunk)
    {
        _fed += chunk.Data.Length;
        if (_difference is not null)
        {
            Excerpt(_expectedExcerpt, chunk.Data.Span);
            return;
        }
        _pending.Enqueue(chunk);
        _pendingBytes += chunk.Data.Length;
    }

    /// <summary>Takes from the inbox whatever can be compared now (everything, once the streams have parted).</summary>
    public void Take(SocketInbox inbox)
    {
        while (inbox.Available > 0)
        {
            if (_difference is not null || (_pending.Count == 0 && _fed == expectedLength))
            {
                byte[] rest = inbox.Peek();
                inbox.Consume(rest.Length);
                if (_difference is null)
                    Part(DifferenceKind.Extra, null, ReadOnlySpan<byte>.Empty);
                Excerpt(_receivedExcerpt, rest);
                continue;
            }
            if (_pending.Count == 0)
                return; // The server is ahead of the recorded chunks read so far: compare when they come.
            ReplyChunk chunk = _pending.Peek();
            ReadOnlySpan<byte> want = chunk.Data.Span[_headUsed..];
            byte[] got = inbox.Peek();
            int n = Math.Min(want.Length, got.Length);
            int same = want[..n].CommonPrefixLength(got.AsSpan(0, n));
            inbox.Consume(same < n ? got.Length : n);
            _compared += same;
            if (same < n)
            {
                Part(DifferenceKind.Differs, chunk, want[same..]);
                Excerpt(_receivedExcerpt, got.AsSpan(same));
                return;
            }
            _pendingBytes -= n;
            _headUsed += n;
            if (_headUsed == chunk.Data.Length)
            {
                _pending.Dequeue();
                _headUsed = 0;
            }
        }
    }

    /// <summary>The streams part at <see cref="_compared"/>: keep where, and the recorded bytes from there.</summary>
    private void Part(DifferenceKind kind, ReplyChunk? chunk, ReadOnlySpan<byte> expectedFromHere)
    {
        _differenceChunk = chunk;
        _difference = new StreamDifference(kind, _compared, expectedLength, 0);
        Excerpt(_expectedExcerpt, expectedFromHere);
        foreach (ReplyChunk c in _pending.Skip(1))
            Excerpt(_expectedExcerpt, c.Data.Span);
        _pending.Clear();
        _pendingBytes = 0;
        _headUsed = 0;
    }

    private static void Excerpt(List<byte> excerpt, ReadOnlySpan<byte> bytes)
    {
        int room = Context - excerpt.Count;
        if (room > 0)
            excerpt.AddRange(bytes[..Math.Min(room, bytes.Length)]);
    }

    /// <summary>The outcome once every recorded chunk that matters was given and the inbox was taken for the last time.</summary>
    public ReplayResult Finish(long receivedTotal, bool peerClosed, string? error)
    {
        if (_difference is null && _pendingBytes > 0)
        {
            ReplyChunk chunk = _pending.Peek();
            Part(DifferenceKind.Missing, chunk, chunk.Data.Span[_headUsed..]);
        }
        else if (_difference is null && _compared < expectedLength)
        {
            Part(DifferenceKind.Missing, null, ReadOnlySpan<byte>.Empty);
        }
        StreamDifference? d = _difference is null ? null : _difference with { ActualLength = receivedTotal };
        return new ReplayResult(receivedTotal, d, [.. _expectedExcerpt], [.. _receivedExcerpt], _differenceChunk, peerClosed, error);
    }
}
