using System.Buffers;
using System.IO.Hashing;

namespace SocketLab.Core.Net;

/// <summary>
/// What the echo loop guard saw when it turned an echo off: the same <see cref="PayloadLength"/> bytes arrived
/// <see cref="Count"/> times in a row over <see cref="Duration"/>, each copy no more than <see cref="MaxGap"/>
/// after the one before, and when one echo was held back the peer sent nothing more: it was only sending back
/// what it got, so the two ends were bouncing one message between them.
/// </summary>
public readonly record struct EchoLoopInfo(int Count, int PayloadLength, TimeSpan Duration)
{
    /// <summary>Identical messages in a row before the guard tests for a loop.</summary>
    public const int Repeats = 20;

    /// <summary>Longest payload fingerprinted; longer reads end a run (bulk data costs nothing and never trips).</summary>
    public const int MaxPayloadLength = 4096;

    /// <summary>Longest time between two copies of a run.</summary>
    public static readonly TimeSpan MaxGap = TimeSpan.FromMilliseconds(EchoLoopGuard.MaxGapMs);
}

/// <summary>
/// Detects an echo loop on one connection or UDP peer, in two steps. First a run: the same payload (length and a
/// 64-bit XxHash3, reads of at most <see cref="EchoLoopInfo.MaxPayloadLength"/> bytes only) received
/// <see cref="EchoLoopInfo.Repeats"/> times in a row, at most <see cref="EchoLoopInfo.MaxGap"/> apart. A run alone
/// cannot tell a loop from a peer that sends the same thing on its own (a sensor reading, a keep-alive dot, a
/// zero-filled file arriving in equal pieces), so then a probe: the echo of the last copy is held back. A peer that
/// sends anything before <see cref="ProbeTimeout"/> is not waiting for our echo: the held echo goes out (in order,
/// byte-exact), the run starts again and the next probe needs twice as many copies. A peer that goes quiet was
/// only answering our echoes: that is the loop. The caller then sends the held echo after all (everything received
/// until then is echoed, byte-exact) and turns echo off. Against another SocketLab that last echo completes the
/// other end's run too, so both ends find the loop and say so; a board echoes it once more, and that is the end.
/// Not thread-safe: the caller's receive path owns it (the UDP endpoint locks it against its probe timer).
/// </summary>
internal sealed class EchoLoopGuard : IDisposable
{
    internal const int MaxGapMs = 200;
    private const int LastGapMs = 1000;
    private const int MaxDoublings = 6;

    private ulong _hash;
    private long _runStart;
    private long _last;
    private int _length;
    private int _count;
    private int _maxGap;
    private int _cleared;
    private byte[]? _withheld;
    private int _withheldLength;
    private Timer? _timer;

    /// <summary>When the probe in progress ends (<see cref="Environment.TickCount64"/>).</summary>
    public long Deadline { get; private set; }

    /// <summary>An echo is held back, waiting to see whether the peer sends on its own.</summary>
    public bool Probing => _withheld is not null;

    /// <summary>How long a probe waits: twice the longest gap of the run, plus 150 ms, at most 1 s.</summary>
    public TimeSpan ProbeTimeout => TimeSpan.FromMilliseconds(Math.Min(2 * _maxGap + 150, 1000));

    public EchoLoopInfo Info => new(_count, _length, TimeSpan.FromMilliseconds(_last - _runStart));

    /// <summary>
    /// Counts one received payload about to be echoed; true when it completes a run, and its echo should be
    /// held back with <see cref="Withhold"/> instead of sent. No allocation.
    /// </summary>
    public bool Repeated(ReadOnlySpan<byte> data, long now)
    {
        if (data.IsEmpty || data.Length > EchoLoopInfo.MaxPayloadLength)
        {
            _count = 0;
            return false;
        }
        ulong hash = XxHash3.HashToUInt64(data);
        long gap = now - _last;
        int needed = EchoLoopInfo.Repeats << Math.Min(_cleared, MaxDoublings);
        // The copy that completes a run may come up to 1 s late: another SocketLab at the other end held it back
        // for its own probe (its loop is then found first, and this end finds it too instead of seeing silence).
        if (_count > 0 && hash == _hash && data.Length == _length && (gap <= MaxGapMs || (_count + 1 >= needed && gap <= LastGapMs)))
        {
            _count++;
            if (gap > _maxGap && gap <= MaxGapMs)
                _maxGap = (int)gap;
        }
        else
        {
            _hash = hash;
            _length = data.Length;
            _count = 1;
            _runStart = now;
            _maxGap = 0;
        }
        _last = now;
        return _count >= needed;
    }

    /// <summary>Keeps a copy of the echo held back by a probe, which ends at <see cref="Deadline"/>.</summary>
    public void Withhold(ReadOnlySpan<byte> data, long now)
    {
        _withheld = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(_withheld);
        _withheldLength = data.Length;
        Deadline = now + (long)ProbeTimeout.TotalMilliseconds;
    }

    /// <summary>Arms the probe's timer (epoll loop, UDP), created once per guard, for the time left until <see cref="Deadline"/>.</summary>
    public void StartTimer(TimerCallback callback, object state)
    {
        _timer ??= new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
        _timer.Change(Math.Max(Deadline - Environment.TickCount64, 1), Timeout.Infinite);
    }

    /// <summary>A timer fired while a probe is on but before its deadline (early, or left over from an earlier probe): wait on.</summary>
    public void RestartTimer() => _timer?.Change(Math.Max(Deadline - Environment.TickCount64, 1), Timeout.Infinite);

    /// <summary>
    /// The peer sent something during the probe: not a loop. Returns the held echo (rent from the shared pool:
    /// the caller sends it, then returns it); the next run needs twice as many copies.
    /// </summary>
    public byte[] Clear(out int length)
    {
        byte[] held = _withheld!;
        length = _withheldLength;
        _withheld = null;
        _timer?.Change(Timeout.Infinite, Timeout.Infinite);
        _count = 0;
        if (_cleared < MaxDoublings)
            _cleared++;
        return held;
    }

    /// <summary>Whether the probe's time is up (a timer may fire a little early, or late for an earlier probe).</summary>
    public bool Expired(long now) => Probing && now >= Deadline - 15;

    /// <summary>
    /// The probe found a loop: returns what was seen, and the held echo (rent from the shared pool: the caller sends
    /// it, then returns it). Counting starts afresh.
    /// </summary>
    public EchoLoopInfo Trip(out byte[] held, out int length)
    {
        EchoLoopInfo info = Info;
        held = _withheld!;
        length = _withheldLength;
        _withheld = null;
        _count = 0;
        _cleared = 0;
        return info;
    }

    /// <summary>Echo was turned back on: forget the run (a held echo, if any, stays with its probe).</summary>
    public void Rearm()
    {
        _count = 0;
        _cleared = 0;
    }

    public void DropWithheld()
    {
        if (_withheld is not null)
            ArrayPool<byte>.Shared.Return(_withheld);
        _withheld = null;
        _timer?.Change(Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Stops the timer. A held echo is dropped by the receive path that owns it, never from here.</summary>
    public void Dispose() => _timer?.Dispose();
}
