using System.Net.Sockets;

namespace SocketLab.Core.Bench;

/// <summary>
/// The checking and counting half of one bench connection, the same whichever engine drives it: each
/// echoed byte compared with the connection's stream of <see cref="EchoPattern"/> bytes, whole messages
/// counted, their latency recorded from the time they were sent. The sampler reads only
/// <see cref="Completed"/> and <see cref="Measured"/>; everything else belongs to the connection's reader.
/// </summary>
internal sealed class EchoTally
{
    private readonly BenchRun _run;
    private readonly long[] _sentAt;
    private long _received;
    private long _completed;
    private long _measured;

    public EchoTally(long id, BenchRun run)
    {
        Id = id;
        _run = run;
        Start = EchoPattern.StartOf(id);
        _sentAt = new long[run.Options.Depth];
    }

    public long Id { get; }

    /// <summary>Where this connection's stream starts in the pattern.</summary>
    public long Start { get; }

    /// <summary>Bytes echoed and checked so far.</summary>
    public long Received => Volatile.Read(ref _received);

    public long Completed => Volatile.Read(ref _completed);

    public long Measured => Volatile.Read(ref _measured);

    /// <summary>Notes that messages <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 were sent now.</summary>
    public void MarkSent(long first, long count, long now)
    {
        for (long i = 0; i < count; i++)
            Volatile.Write(ref _sentAt[(first + i) % _sentAt.Length], now);
    }

    /// <summary>Notes message <paramref name="message"/>'s latency start: its intended send time in an open-loop run.</summary>
    public void MarkSentAt(long message, long time) => Volatile.Write(ref _sentAt[message % _sentAt.Length], time);

    /// <summary>Compares echoed bytes with the stream where it stands; the first wrong byte ends the connection.</summary>
    public void Check(ReadOnlySpan<byte> echoed)
    {
        int bad = _run.Pattern.FirstMismatch(echoed, Start + _received);
        if (bad >= 0)
        {
            long offset = _received + bad;
            throw new EchoMismatchException(new EchoMismatch(Id, offset, _run.Pattern.At(Start + offset), echoed[bad]));
        }
        Volatile.Write(ref _received, _received + echoed.Length);
    }

    /// <summary>Counts <paramref name="messages"/> echoed messages that each took <paramref name="ticks"/>.</summary>
    public void Echoed(long messages, long ticks)
    {
        Volatile.Write(ref _completed, _completed + messages);
        if (_run.Measuring)
        {
            Volatile.Write(ref _measured, _measured + messages);
            _run.RecordLatency(ticks, messages);
        }
    }

    /// <summary>
    /// Counts messages <paramref name="from"/> … <paramref name="to"/> − 1 (by number) as echoed now, each from
    /// its send time. Messages sent in one write share a send time, so each run of them is one record.
    /// </summary>
    public void EchoedBetween(long from, long to, long now)
    {
        for (long m = from; m < to;)
        {
            long sentAt = Volatile.Read(ref _sentAt[m % _sentAt.Length]);
            long n = 1;
            while (m + n < to && Volatile.Read(ref _sentAt[(m + n) % _sentAt.Length]) == sentAt)
                n++;
            Echoed(n, now - sentAt);
            m += n;
        }
    }

    /// <summary>The run's one-line account of why this connection failed.</summary>
    public string Describe(Exception ex) => ex switch
    {
        _ when _run.Aborted => $"connection {Id}: no echo within the drain time after the run",
        EchoClosedException => $"connection {Id}: the server closed the connection",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => $"connection {Id}: connection reset by the server",
        _ => $"connection {Id}: {ex.Message}",
    };
}

/// <summary>The server closed a bench connection (read returned 0) while echoes were owed.</summary>
internal sealed class EchoClosedException : Exception;
