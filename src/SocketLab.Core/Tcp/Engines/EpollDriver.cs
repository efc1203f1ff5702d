using System.Buffers;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// The epoll engine's driver: a connection served by an <see cref="EpollServerLoop"/> instead of an async
/// receive loop, with the same behaviour (echo before reading on, ordered sends, graceful close), driven by
/// readiness events on the loop's thread. Everything here except <see cref="LoopDriver.Start"/> and
/// <see cref="LoopDriver.CloseRequested"/> runs on that thread. Plain sockets only (it reads with <see cref="ConnectionIo.ReceiveNow"/>).
/// </summary>
internal sealed class EpollDriver : LoopDriver
{
    private enum LoopState : byte
    {
        Reading,
        EchoWaitingForLock,     // Another sender holds the send lock; the echo waits in _echoRest.
        EchoWaitingForWrite,    // The kernel took part of the echo; the rest waits for room.
        Ended,
    }

    private readonly EpollServerLoop _loop;
    private LoopState _state;
    private bool _closeAsked;
    private byte[]? _echoRest;
    private int _echoRestStart;
    private int _echoRestEnd;

    public EpollDriver(TcpConnection connection, EpollServerLoop loop, Action<TcpConnection> finished)
        : base(connection, loop.Inbox, finished) => _loop = loop;

    // Whether the loop's epoll set watches this connection (its slot is LoopDriver's).
    internal bool PollWatched;
    internal SafeSocketHandle PollHandle => _c.Io.Socket.SafeHandle;

    protected override bool Ended => _state == LoopState.Ended;

    protected override void MarkEnded() => _state = LoopState.Ended;

    internal override void OnRequest(LoopRequest request)
    {
        try
        {
            switch (request)
            {
                case LoopRequest.Start when _state == LoopState.Reading:
                    if (_c.Aborted || _c.CloseAsked)
                        End(_c.ClosedByUsReason, null);
                    else if (!_loop.Add(this))
                        End(CloseReason.Reset, "the socket closed before it could be watched");
                    break;
                case LoopRequest.Close:
                    _closeAsked = true;
                    // An echo in progress finishes first (as on the async engine); after an abort nothing will.
                    if (_state == LoopState.Reading || (_c.Aborted && _state != LoopState.Ended))
                        EndDroppingEcho(_c.ClosedByUsReason, null);
                    break;
                case LoopRequest.SendLockTaken when _state == LoopState.EchoWaitingForLock:
                    SendEchoRest();
                    break;
                case LoopRequest.SendLockTaken:
                    _c.ReleaseSendLock(); // Ended meanwhile: the lock is not needed any more.
                    break;
                case LoopRequest.ProbeTimeout when _state == LoopState.Reading && _c.Guard is { Probing: true } guard:
                    if (guard.Expired(Environment.TickCount64))
                        EchoHeld(_c.TripLoop(guard, out int length), length);
                    else
                        guard.RestartTimer();
                    break;
            }
        }
        catch (Exception ex)
        {
            EndDroppingEcho(CloseReason.Reset, ex.Message);
        }
    }

    /// <summary>The loop is stopping with this connection still on it: reset it and report.</summary>
    internal void Abandon()
    {
        _c.Abort();
        EndDroppingEcho(_c.ClosedByUsReason, null);
    }

    internal void OnPolled()
    {
        try
        {
            if (_state == LoopState.Reading)
                Read();
            else if (_state == LoopState.EchoWaitingForWrite)
                SendEchoRest();
        }
        catch (Exception ex)
        {
            // An observer threw, or the socket failed in a way not handled below: this connection ends, the loop goes on.
            EndDroppingEcho(CloseReason.Reset, ex.Message);
        }
    }

    /// <summary>
    /// At most this many reads per readiness event while each one fills the buffer: draining a busy connection
    /// in one go costs the kernel fewer window updates than one read per <c>epoll_wait</c> (1,000 × 64 KiB
    /// pipelined: 55 → 22–24 µs of server CPU per message), and the bound (2 MiB with 32 KiB reads) keeps one
    /// sender from holding up the loop's other connections for long.
    /// </summary>
    private const int MaxReadsPerEvent = 64;

    private void Read()
    {
        // Readable during a probe: the peer sent more without waiting for the held echo, so it was no loop.
        // The held echo goes out first; reading waits if it cannot all go at once.
        if (_c.Guard is { Probing: true } guard)
        {
            EchoHeld(guard.Clear(out int length), length);
            if (_state != LoopState.Reading)
                return;
        }
        for (int reads = 0; reads < MaxReadsPerEvent && _state == LoopState.Reading; reads++)
        {
            Span<byte> buffer = _loop.ReadBuffer(_c.Options.ReceiveBufferSize);
            int read;
            try
            {
                read = _c.Io.ReceiveNow(buffer);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                EndAfter(ex);
                return;
            }
            if (read < 0)
                return;
            if (read == 0)
            {
                End(CloseReason.RemoteClosed, null);
                return;
            }
            ReadOnlySpan<byte> data = buffer[..read];
            _c.Received(data);
            if (_c.Echo)
            {
                if (_c.WithholdForProbe(data))
                {
                    // Reading goes on: data before the probe's timer (level-triggered) means no loop.
                    _c.Guard!.StartTimer(static state => ((EpollDriver)state!).ProbeTimedOut(), this);
                    return;
                }
                Echo(data);
            }
            if (read < buffer.Length)
                return; // The kernel had no more: level-triggered epoll says when it has.
        }
    }

    /// <summary>Echoes the copy a probe held back (reading waits if it cannot all go at once), and returns it to the pool.</summary>
    private void EchoHeld(byte[] held, int length)
    {
        try
        {
            Echo(held.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>The probe's timer, on a pool thread: the loop's thread decides.</summary>
    private void ProbeTimedOut() => Post(LoopRequest.ProbeTimeout);

    private void Echo(ReadOnlySpan<byte> data)
    {
        if (!_c.TryTakeSendLock())
        {
            // A SendAsync/Post is writing: the echo goes after it, and reading stops until the echo is out.
            KeepEchoRest(data);
            _state = LoopState.EchoWaitingForLock;
            _loop.Watch(this, 0);
            _ = TakeSendLockAsync();
            return;
        }
        int sent;
        try
        {
            sent = SendAllNow(data);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _c.ReleaseSendLock();
            EndAfter(ex);
            return;
        }
        if (sent < data.Length)
        {
            // The peer reads slower than it sends: keep the rest (holding the lock) and stop reading until it is out.
            KeepEchoRest(data[sent..]);
            _state = LoopState.EchoWaitingForWrite;
            _loop.Watch(this, Epoll.Out);
            return;
        }
        _c.ReleaseSendLock();
        _c.Touch();
    }

    private async Task TakeSendLockAsync()
    {
        try
        {
            await _c.TakeSendLockAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return; // Released: the connection is gone.
        }
        Post(LoopRequest.SendLockTaken);
    }

    /// <summary>Writes the kept echo rest; the send lock is held. Reading resumes when all of it is out.</summary>
    private void SendEchoRest()
    {
        int sent;
        try
        {
            sent = SendAllNow(_echoRest.AsSpan(_echoRestStart, _echoRestEnd - _echoRestStart));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            DropEchoRest();
            _c.ReleaseSendLock();
            EndAfter(ex);
            return;
        }
        _echoRestStart += sent;
        if (_echoRestStart < _echoRestEnd)
        {
            _state = LoopState.EchoWaitingForWrite;
            _loop.Watch(this, Epoll.Out);
            return;
        }
        DropEchoRest();
        _c.Touch();
        if (_closeAsked)
        {
            End(_c.ClosedByUsReason, null); // Stops watching before the close path may read (linger).
            _c.ReleaseSendLock();
            return;
        }
        _state = LoopState.Reading;
        _loop.Watch(this, Epoll.In);
        _c.ReleaseSendLock();
    }

    private int SendAllNow(ReadOnlySpan<byte> data)
    {
        int total = 0;
        while (total < data.Length)
        {
            int sent = _c.Io.SendNow(data[total..]);
            if (sent == 0)
                break;
            total += sent;
            _c.CountSent(sent);
        }
        return total;
    }

    private void KeepEchoRest(ReadOnlySpan<byte> rest)
    {
        _echoRest = ArrayPool<byte>.Shared.Rent(rest.Length);
        rest.CopyTo(_echoRest);
        _echoRestStart = 0;
        _echoRestEnd = rest.Length;
    }

    private void DropEchoRest()
    {
        if (_echoRest is not null)
            ArrayPool<byte>.Shared.Return(_echoRest);
        _echoRest = null;
    }

    /// <summary>Ends while an echo may still be kept: it is dropped, and a send lock held for it is given back.</summary>
    private void EndDroppingEcho(CloseReason reason, string? detail)
    {
        if (_state == LoopState.Ended)
            return;
        bool holdsLock = _state == LoopState.EchoWaitingForWrite;
        DropEchoRest();
        End(reason, detail);
        if (holdsLock)
            _c.ReleaseSendLock();
    }

    /// <summary>Ends after a socket call failed: as closed by us when we were closing it anyway, else as a reset.</summary>
    private void EndAfter(Exception ex)
    {
        if (_c.IsClosing(ex))
            End(_c.ClosedByUsReason, null);
        else
            End(CloseReason.Reset, TcpConnection.Describe(ex));
    }

    /// <summary>Stops serving the connection on the loop and starts the close path (drain, FIN, linger) off it.</summary>
    private void End(CloseReason reason, string? detail)
    {
        if (_state == LoopState.Ended)
            return;
        _state = LoopState.Ended;
        _loop.Remove(this);
        _c.Guard?.DropWithheld();
        _ = FinishAsync(reason, detail);
    }
}
