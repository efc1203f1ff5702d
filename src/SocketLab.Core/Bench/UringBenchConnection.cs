using System.Net.Sockets;

namespace SocketLab.Core.Bench;

/// <summary>
/// One loaded connection driven by <see cref="UringBenchLoop"/>: what it has sent and received, and what to do
/// when a receive or a send completes. As for <see cref="EpollBenchConnection"/>, checking and counting are
/// <see cref="EchoTally"/>'s and the window <see cref="SendWindow"/>'s; every call comes from the loop's thread.
/// At most one send is in flight per connection (two in flight could complete out of order).
/// </summary>
internal sealed class UringBenchConnection : IBenchLoad
{
    private readonly EchoTally _tally;
    private readonly SendWindow _window;
    private readonly int _size;
    private readonly ConnectionEnd _end;
    private long _sent;      // bytes of the committed messages the kernel took
    private bool _sending;   // a send is in flight

    public UringBenchConnection(long id, Socket socket, BenchRun run)
    {
        Socket = socket;
        Fd = (int)socket.Handle;
        _tally = new EchoTally(id, run);
        _window = new SendWindow(id, run, _tally);
        _end = new ConnectionEnd(run, _tally);
        _size = run.Options.Size;
    }

    public Socket Socket { get; }

    public int Fd { get; }

    public long Completed => _tally.Completed;

    public long Measured => _tally.Measured;

    public Task RunAsync() => _end.Task;

    public bool IsDone => _end.IsDone;

    /// <summary>Committed bytes wait and no send is in flight: the loop should queue one.</summary>
    public bool WantsSend => !_sending && _sent < _window.Committed && !IsDone;

    public long NextDue => _window.NextDue;

    /// <summary>Commits the first messages (or, open loop, those due now).</summary>
    public void Begin(long now) => _window.Refill(now);

    /// <summary>Open loop: a message's intended time has come.</summary>
    public void OnDue(long now)
    {
        if (!IsDone)
            _window.Refill(now);
    }

    /// <summary>The next send: <paramref name="position"/> in the connection's stream and how many bytes; marks it in flight.</summary>
    public int StartSend(out long position)
    {
        position = _tally.Start + _sent;
        _sending = true;
        return (int)Math.Min(_window.Committed - _sent, EchoPattern.MaxSlice);
    }

    /// <summary>A send completed with <paramref name="result"/> bytes (or −errno).</summary>
    public void OnSent(int result)
    {
        _sending = false;
        if (IsDone)
            return;
        if (result < 0)
            Fail(UringErrors.ToException(-result));
        else
            _sent += result;
    }

    /// <summary>Echoed bytes arrived: check them, count whole messages, let more go.</summary>
    public void OnReceived(ReadOnlySpan<byte> data, long now)
    {
        if (IsDone)
            return;
        try
        {
            long before = _tally.Received / _size;
            _tally.Check(data);
            long after = _tally.Received / _size;
            _tally.EchoedBetween(before, after, now);
            if (after > before)
                _window.Refill(now);
            CheckFinished();
        }
        catch (EchoMismatchException ex)
        {
            Fail(ex);
        }
    }

    /// <summary>The server closed the connection (a receive of 0 bytes).</summary>
    public void OnClosed()
    {
        CheckFinished();
        if (!IsDone)
            Fail(new EchoClosedException());
    }

    /// <summary>After the stop: done once everything sent has come back.</summary>
    public void CheckFinished() => _end.CheckFinished(_window.Committed);

    public void Fail(Exception ex) => _end.Fail(ex);
}

/// <summary>A failed io_uring socket operation (−errno in its completion) as the exception a socket call would throw.</summary>
internal static class UringErrors
{
    public static SocketException ToException(int errno) => new((int)(errno switch
    {
        104 or 32 => SocketError.ConnectionReset,  // ECONNRESET, EPIPE
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        107 => SocketError.NotConnected,
        _ => SocketError.SocketError,
    }));
}
