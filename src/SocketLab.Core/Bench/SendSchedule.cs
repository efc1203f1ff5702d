using System.Diagnostics;

namespace SocketLab.Core.Bench;

/// <summary>
/// When each message of an open-loop run (<see cref="BenchOptions.Rate"/>) is meant to be sent: the run's
/// rate is spread evenly over the connections, each connection's sends evenly over time and offset from
/// its neighbours', and during <see cref="BenchOptions.Ramp"/> the rate climbs linearly from 0. Latency
/// is measured from these intended times, not from the actual write, so a server that falls behind is
/// charged for the wait it caused (the coordinated-omission correction of wrk2).
/// </summary>
internal sealed class SendSchedule
{
    private readonly double _perConnection;   // messages per second per connection at full rate
    private readonly double _ramp;            // seconds
    private readonly int _connections;
    private long _start;

    public SendSchedule(double rate, int connections, TimeSpan ramp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rate, 0);
        _perConnection = rate / connections;
        _connections = connections;
        _ramp = Math.Max(0, ramp.TotalSeconds);
    }

    /// <summary>Sets time zero (a <see cref="Stopwatch"/> timestamp): the load starts now.</summary>
    public void Start(long now) => Volatile.Write(ref _start, now);

    /// <summary>The offset of connection <paramref name="id"/> within one sending period, in messages.</summary>
    private double Phase(long id) => (double)(id % _connections) / _connections;

    /// <summary>Messages a connection is due to have sent <paramref name="seconds"/> after the start (fractional).</summary>
    private double DueAt(double seconds)
    {
        if (seconds <= 0)
            return 0;
        if (seconds < _ramp)
            return _perConnection * seconds * seconds / (2 * _ramp);
        return _perConnection * (seconds - _ramp / 2);
    }

    /// <summary>The inverse of <see cref="DueAt"/>: when the <paramref name="messages"/>th message falls due.</summary>
    private double SecondsOf(double messages)
    {
        double rampMessages = _perConnection * _ramp / 2;
        if (messages < rampMessages)
            return Math.Sqrt(2 * _ramp * messages / _perConnection);
        return _ramp + (messages - rampMessages) / _perConnection;
    }

    /// <summary>How many messages connection <paramref name="id"/> should have sent by <paramref name="now"/>.</summary>
    public long DueBy(long id, long now)
    {
        if (now < Volatile.Read(ref _start))
            return 0;
        // The epsilon keeps DueBy(TimeOf(m)) above m despite rounding: at its own time a message is due.
        double due = DueAt((double)(now - Volatile.Read(ref _start)) / Stopwatch.Frequency) - Phase(id) + 1e-6;
        return due < 0 ? 0 : (long)due + 1;
    }

    /// <summary>The intended send time (a <see cref="Stopwatch"/> timestamp) of message <paramref name="message"/> of connection <paramref name="id"/>.</summary>
    public long TimeOf(long id, long message) =>
        Volatile.Read(ref _start) + (long)Math.Ceiling(SecondsOf(message + Phase(id)) * Stopwatch.Frequency);

    /// <summary>Messages all connections together were due to send between two timestamps: the rate asked for over that time.</summary>
    public long DueBetween(long from, long to)
    {
        long total = 0;
        for (int id = 0; id < _connections; id++)
            total += DueBy(id, to) - DueBy(id, from);
        return total;
    }
}
