using System.Diagnostics;
using System.Net.Sockets;

namespace SocketLab.Core.Bench;

/// <summary>
/// One loaded connection of a bench run driven by <see cref="EpollBenchLoop"/>: plain state plus what to do
/// when its socket is readable or writable. Every call comes from the loop's one thread, so nothing here
/// locks; the sampler only reads <see cref="Completed"/> and <see cref="Measured"/>.
/// The byte accounting is the same as <see cref="BenchConnection"/>'s: the connection's stream of
/// <see cref="EchoPattern"/> bytes is committed message by message, sent, and checked as it comes back.
/// </summary>
internal sealed class EpollBenchConnection : IBenchLoad
{
    private readonly BenchRun _run;
    private readonly long _id;
    private readonly long _start;
    private readonly int _size;
    private readonly int _depth;
    private readonly byte[] _buffer;
    private readonly long[] _sentAt;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _committed;  // bytes of whole messages handed to the connection
    private long _sent;       // of those, bytes the kernel took
    private long _received;   // bytes echoed and checked
    private long _completed;
    private long _measured;

    public EpollBenchConnection(long id, Socket socket, BenchRun run, int bufferSize)
    {
        _id = id;
        Socket = socket;
        _run = run;
        _start = EchoPattern.StartOf(id);
        _size = run.Options.Size;
        _depth = run.Options.Depth;
        _buffer = new byte[bufferSize];
        _sentAt = new long[_depth];
        socket.Blocking = false; // Send/Receive return WouldBlock instead of waiting: the loop waits in epoll.
    }

    public Socket Socket { get; }

    public long Completed => Volatile.Read(ref _completed);

    public long Measured => Volatile.Read(ref _measured);

    /// <summary>Completes when the connection has finished (all its echoes checked, or failed); never faults.</summary>
    public Task RunAsync() => _done.Task;

    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>True while sent bytes wait for room in the kernel: the loop then also watches for writability.</summary>
    public bool WantsWrite => _sent < _committed;

    /// <summary>Commits the first messages and sends them.</summary>
    public void Begin()
    {
        try
        {
            Refill(Stopwatch.GetTimestamp());
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
        int read = Socket.Receive(_buffer, 0, _buffer.Length, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
            return false;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
        if (read == 0)
            throw new EchoClosedException();

        long now = Stopwatch.GetTimestamp();
        Verify(read);
        long before = (_received - read) / _size;
        long after = _received / _size;
        // Messages sent in one write share a send time: record each run of them at once.
        for (long m = before; m < after;)
        {
            long sentAt = _sentAt[m % _depth];
            long n = 1;
            while (m + n < after && _sentAt[(m + n) % _depth] == sentAt)
                n++;
            Echoed(n, now - sentAt);
            m += n;
        }
        if (after > before)
            Refill(now);
        Flush();
        return read == _buffer.Length;
    }

    /// <summary>After the stop: done once everything sent has come back.</summary>
    public void CheckFinished()
    {
        if (_run.Stopping && _received >= _committed && !IsDone)
            _done.TrySetResult();
    }

    /// <summary>Ends a connection the loop gives up on (the drain time ran out).</summary>
    public void Fail(Exception ex)
    {
        if (IsDone)
            return;
        if (ex is EchoMismatchException mismatch)
            _run.ReportMismatch(mismatch.Mismatch);
        else
            _run.ReportError(Describe(ex));
        _done.TrySetResult();
    }

    // No delegate per event (a lambda capturing this would allocate one per message).
    private static bool IsConnectionFailure(Exception ex) =>
        ex is EchoMismatchException or EchoClosedException or SocketException or ObjectDisposedException;

    /// <summary>Keeps <c>depth</c> messages in flight while the run goes on; each gets its send time now.</summary>
    private void Refill(long now)
    {
        if (_run.Stopping)
            return;
        long messages = _committed / _size;
        long free = _depth - (messages - _received / _size);
        for (long i = 0; i < free; i++)
            _sentAt[(messages + i) % _depth] = now;
        _committed += free * _size;
    }

    /// <summary>Sends committed bytes until the kernel takes no more.</summary>
    private void Flush()
    {
        while (_sent < _committed)
        {
            int want = (int)Math.Min(_committed - _sent, EchoPattern.MaxSlice);
            int sent = Socket.Send(_run.Pattern.Slice(_start + _sent, want).Span, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
                return;
            if (error != SocketError.Success)
                throw new SocketException((int)error);
            _sent += sent;
            if (sent < want)
                return; // The kernel's buffer is full: the loop waits for room.
        }
    }

    private void Verify(int read)
    {
        int bad = _run.Pattern.FirstMismatch(_buffer.AsSpan(0, read), _start + _received);
        if (bad >= 0)
        {
            long offset = _received + bad;
            throw new EchoMismatchException(new EchoMismatch(_id, offset, _run.Pattern.At(_start + offset), _buffer[bad]));
        }
        _received += read;
    }

    private void Echoed(long messages, long ticks)
    {
        Volatile.Write(ref _completed, _completed + messages);
        if (_run.Measuring)
        {
            Volatile.Write(ref _measured, _measured + messages);
            _run.RecordLatency(ticks, messages);
        }
    }

    private string Describe(Exception ex) => ex switch
    {
        _ when _run.Aborted => $"connection {_id}: no echo within the drain time after the run",
        EchoClosedException => $"connection {_id}: the server closed the connection",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => $"connection {_id}: connection reset by the server",
        _ => $"connection {_id}: {ex.Message}",
    };

    private sealed class EchoClosedException : Exception;
}
