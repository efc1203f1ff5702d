using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bench;

/// <summary>
/// One loaded connection of a bench run driven by <see cref="EpollBenchLoop"/>: plain state plus what to do
/// when its socket is readable or writable. Every call comes from the loop's one thread, so nothing here
/// locks; the sampler only reads <see cref="Completed"/> and <see cref="Measured"/>.
/// Checking and counting are <see cref="EchoTally"/>'s, as for <see cref="BenchConnection"/>; this class
/// commits the stream message by message and sends it.
/// </summary>
internal sealed class EpollBenchConnection : IBenchLoad
{
    private readonly BenchRun _run;
    private readonly EchoTally _tally;
    private readonly SendWindow _window;
    private readonly int _size;
    private readonly byte[] _buffer;
    private readonly ConnectionEnd _end;
    private long _sent;       // bytes of the committed messages the kernel took

    public EpollBenchConnection(long id, Socket socket, BenchRun run, int bufferSize)
    {
        Socket = socket;
        _run = run;
        _tally = new EchoTally(id, run);
        _window = new SendWindow(id, run, _tally);
        _end = new ConnectionEnd(run, _tally);
        _size = run.Options.Size;
        _buffer = new byte[bufferSize];
        socket.Blocking = false; // Send/Receive return WouldBlock instead of waiting: the loop waits in epoll.
    }

    public Socket Socket { get; }

    public long Completed => _tally.Completed;

    public long Measured => _tally.Measured;

    /// <summary>Completes when the connection has finished (all its echoes checked, or failed); never faults.</summary>
    public Task RunAsync() => _end.Task;

    public bool IsDone => _end.IsDone;

    /// <summary>True while sent bytes wait for room in the kernel: the loop then also watches for writability.</summary>
    public bool WantsWrite => _sent < _window.Committed;

    /// <summary>Open loop: when this connection's next message falls due (<see cref="long.MaxValue"/>: not on the clock).</summary>
    public long NextDue => _window.NextDue;

    /// <summary>Commits the first messages and sends them.</summary>
    public void Begin()
    {
        try
        {
            _window.Refill(Stopwatch.GetTimestamp());
            Flush();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Fail(ex);
        }
    }

    /// <summary>The socket is readable (or has an error): read, check, record, send what became free.</summary>
    public void OnReadable()
    {
        if (IsDone)
            return;
        try
        {
            // Bulk echoes arrive faster than one read per wake-up takes them: read on while data is there.
            for (int i = 0; i < ReadsPerWakeup && Read() && !IsDone; i++)
            {
            }
            CheckFinished();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Fail(ex);
        }
    }

    /// <summary>Open loop: a message's intended time has come.</summary>
    public void OnDue(long now)
    {
        if (IsDone)
            return;
        try
        {
            if (_window.Refill(now) > 0)
                Flush();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Fail(ex);
        }
    }

    /// <summary>The socket has room again: send the rest.</summary>
    public void OnWritable()
    {
        if (IsDone)
            return;
        try
        {
            Flush();
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            Fail(ex);
        }
    }

    private const int ReadsPerWakeup = 8;

    /// <summary>One read; false when there was nothing to read or the buffer was not filled (nothing more is waiting).</summary>
    private bool Read()
    {
        int read = Socket.ReceiveNow(_buffer);
        if (read < 0)
            return false;
        if (read == 0)
            throw new EchoClosedException();

        long now = Stopwatch.GetTimestamp();
        long before = _tally.Received / _size;
        _tally.Check(_buffer.AsSpan(0, read));
        long after = _tally.Received / _size;
        _tally.EchoedBetween(before, after, now);
        if (after > before)
            _window.Refill(now);
        Flush();
        return read == _buffer.Length;
    }

    /// <summary>After the stop: done once everything sent has come back.</summary>
    public void CheckFinished() => _end.CheckFinished(_window.Committed);

    /// <summary>Ends a connection the loop gives up on (the drain time ran out).</summary>
    public void Fail(Exception ex) => _end.Fail(ex);

    // No delegate per event (a lambda capturing this would allocate one per message).
    private static bool IsConnectionFailure(Exception ex) =>
        ex is EchoMismatchException or EchoClosedException or SocketException or ObjectDisposedException;

    /// <summary>Sends committed bytes until the kernel takes no more.</summary>
    private void Flush()
    {
        while (_sent < _window.Committed)
        {
            int want = (int)Math.Min(_window.Committed - _sent, EchoPattern.MaxSlice);
            int sent = Socket.SendNow(_run.Pattern.Slice(_tally.Start + _sent, want).Span);
            _sent += sent;
            if (sent < want)
                return; // The kernel's buffer is full: the loop waits for room.
        }
    }
}
