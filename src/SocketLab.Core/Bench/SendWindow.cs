namespace SocketLab.Core.Bench;

/// <summary>
/// Which messages one connection may send now, whatever engine drives it: at most <c>depth</c> in
/// flight, and in an open-loop run (<see cref="SendSchedule"/>) none before its intended time. Each
/// message gets its latency start here: the send time (closed loop) or the intended time (open loop).
/// </summary>
internal sealed class SendWindow(long id, BenchRun run, EchoTally tally)
{
    private readonly int _size = run.Options.Size;
    private readonly int _depth = run.Options.Depth;
    private readonly SendSchedule? _schedule = run.Schedule;

    /// <summary>Bytes of whole messages handed to the connection so far.</summary>
    public long Committed { get; private set; }

    /// <summary>Commits the messages that may go now; returns how many.</summary>
    public long Refill(long now)
    {
        if (run.Stopping)
            return 0;
        long messages = Committed / _size;
        long free = _depth - (messages - tally.Received / _size);
        if (_schedule is null)
        {
            tally.MarkSent(messages, free, now);
        }
        else
        {
            free = Math.Min(free, _schedule.DueBy(id, now) - messages);
            if (free <= 0)
                return 0;
            for (long m = messages; m < messages + free; m++)
                tally.MarkSentAt(m, _schedule.TimeOf(id, m));
        }
        Committed += free * _size;
        return free;
    }

    /// <summary>
    /// Open loop: when the next message falls due, if the window has room for it (else an echo will make
    /// room and refill); <see cref="long.MaxValue"/> when nothing is waiting on the clock.
    /// </summary>
    public long NextDue
    {
        get
        {
            if (_schedule is null || run.Stopping)
                return long.MaxValue;
            long messages = Committed / _size;
            return messages - tally.Received / _size < _depth ? _schedule.TimeOf(id, messages) : long.MaxValue;
        }
    }
}
