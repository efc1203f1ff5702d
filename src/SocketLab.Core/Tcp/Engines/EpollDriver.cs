using System.Buffers;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// A connection served by an <see cref="EpollServerLoop"/> instead of the async receive loop: the same
/// behaviour (echo before reading on, ordered sends, graceful close), driven by readiness events on the
/// loop's thread. Everything in this file except <see cref="StartOnLoop"/> runs on that thread.
/// </summary>
public sealed partial class TcpConnection
{
    private enum LoopState : byte
    {
        Reading,
        EchoWaitingForLock,     // Another sender holds the send lock; the echo waits in _echoRest.
        EchoWaitingForWrite,    // The kernel took part of the echo; the rest waits for room.
        Ended,
    }

    private EpollServerLoop? _loop;
    private LoopState _loopState;
    private bool _loopCloseAsked;
    private byte[]? _echoRest;
    private int _echoRestStart;
    private int _echoRestEnd;

    internal int PollSlot = -1;
    internal uint PollGeneration;
    internal bool PollWatched;
    internal SafeSocketHandle PollHandle => _socket.SafeHandle;

    /// <summary>For a server on the epoll engine: reports the connection, then hands it to <paramref name="loop"/>.</summary>
    internal void StartOnLoop(EpollServerLoop loop, Action<TcpConnection> finished)
    {
        _loop = loop;
        _finishedOnLoop = finished;
        if (IsWatchedForIdle)
            IdleWatchdog.Watch(this);
        try
        {
            _observer.OnConnected(this);
        }
        catch (Exception ex)
        {
            _loopState = LoopState.Ended;
            _ = FinishOnLoopAsync(CloseReason.Reset, ex.Message);
            return;
        }
        loop.Post(this, EpollRequest.Start);
    }

    private Action<TcpConnection>? _finishedOnLoop;
    private TaskCompletionSource? _loopDone;  // Made only when someone waits (a server stopping): 88 B less per connection.
    private int _loopFinished;

    /// <summary>Completes when the connection has closed and been reported.</summary>
    private Task LoopRunning
    {
        get
        {
            if (Volatile.Read(ref _loopDone) is { } existing)
                return existing.Task;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource winner = Interlocked.CompareExchange(ref _loopDone, done, null) ?? done;
            if (Volatile.Read(ref _loopFinished) != 0)
                winner.TrySetResult();
            return winner.Task;
        }
    }

    internal void OnRequest(EpollServerLoop loop, EpollRequest request)
    {
        try
        {
            switch (request)
            {
                case EpollRequest.Start when _loopState == LoopState.Reading:
                    if (_aborted || _closing.IsCancellationRequested)
                        End(loop, ClosedByUsReason, null);
                    else if (!loop.Add(this))
                        End(loop, CloseReason.Reset, "the socket closed before it could be watched");
                    break;
                case EpollRequest.Close:
                    _loopCloseAsked = true;
                    // An echo in progress finishes first (as on the async engine); after an abort nothing will.
                    if (_loopState == LoopState.Reading || (_aborted && _loopState != LoopState.Ended))
                        EndDroppingEcho(loop, ClosedByUsReason, null);
                    break;
                case EpollRequest.SendLockTaken when _loopState == LoopState.EchoWaitingForLock:
                    SendEchoRest(loop);
                    break;
                case EpollRequest.SendLockTaken:
                    _sendLock.Release(); // Ended meanwhile: the lock is not needed any more.
                    break;
                case EpollRequest.ProbeTimeout when _loopState == LoopState.Reading && _guard is { Probing: true } guard:
                    if (guard.Expired(Environment.TickCount64))
                        EchoHeld(loop, TripLoop(guard, out int length), length);
                    else
                        guard.RestartTimer();
                    break;
            }
        }
        catch (Exception ex)
        {
            EndDroppingEcho(loop, CloseReason.Reset, ex.Message);
        }
    }

    internal void OnPolled(EpollServerLoop loop, uint events)
    {
        try
        {
            if (_loopState == LoopState.Reading)
                ReadOnLoop(loop);
            else if (_loopState == LoopState.EchoWaitingForWrite)
                SendEchoRest(loop);
        }
        catch (Exception ex)
        {
            // An observer threw, or the socket failed in a way not handled below: this connection ends, the loop goes on.
            EndDroppingEcho(loop, CloseReason.Reset, ex.Message);
        }
    }

    /// <summary>
    /// At most this many reads per readiness event while each one fills the buffer: draining a busy connection
    /// in one go costs the kernel fewer window updates than one read per <c>epoll_wait</c> (1,000 × 64 KiB
    /// pipelined: 55 → 22–24 µs of server CPU per message), and the bound (2 MiB with 32 KiB reads) keeps one
    /// sender from holding up the loop's other connections for long.
    /// </summary>
    private const int MaxReadsPerEvent = 64;

    private void ReadOnLoop(EpollServerLoop loop)
    {
        // Readable during a probe: the peer sent more without waiting for the held echo, so it was no loop.
        // The held echo goes out first; reading waits if it cannot all go at once.
        if (_guard is { Probing: true } guard)
        {
            EchoHeld(loop, guard.Clear(out int length), length);
            if (_loopState != LoopState.Reading)
                return;
        }
        for (int reads = 0; reads < MaxReadsPerEvent && _loopState == LoopState.Reading; reads++)
        {
            Span<byte> buffer = loop.ReadBuffer(_options.ReceiveBufferSize);
            int read;
            try
            {
                read = ReceiveNow(buffer);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                EndAfter(loop, ex);
                return;
            }
            if (read < 0)
                return;
            if (read == 0)
            {
                End(loop, CloseReason.RemoteClosed, null);
                return;
            }
            Interlocked.Add(ref _bytesIn, read);
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            ReadOnlySpan<byte> data = buffer[..read];
            _observer.OnReceived(this, data);
            if (_echo)
            {
                if (WithholdForProbe(data))
                {
                    // Reading goes on: data before the probe's timer (level-triggered) means no loop.
                    _guard!.StartTimer(static state => ((TcpConnection)state!).ProbeTimedOut(), this);
                    return;
                }
                EchoOnLoop(loop, data);
            }
            if (read < buffer.Length)
                return; // The kernel had no more: level-triggered epoll says when it has.
        }
    }

    /// <summary>Echoes the copy a probe held back (reading waits if it cannot all go at once), and returns it to the pool.</summary>
    private void EchoHeld(EpollServerLoop loop, byte[] held, int length)
    {
        try
        {
            EchoOnLoop(loop, held.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>The probe's timer, on a pool thread: the loop's thread decides.</summary>
    private void ProbeTimedOut() => _loop?.Post(this, EpollRequest.ProbeTimeout);

    private void EchoOnLoop(EpollServerLoop loop, ReadOnlySpan<byte> data)
    {
        if (!_sendLock.Wait(0))
        {
            // A SendAsync/Post is writing: the echo goes after it, and reading stops until the echo is out.
            KeepEchoRest(data);
            _loopState = LoopState.EchoWaitingForLock;
            loop.Watch(this, 0);
            _ = TakeSendLockAsync(loop);
            return;
        }
        int sent;
        try
        {
            sent = SendAllNow(data);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _sendLock.Release();
            EndAfter(loop, ex);
            return;
        }
        if (sent < data.Length)
        {
            // The peer reads slower than it sends: keep the rest (holding the lock) and stop reading until it is out.
            KeepEchoRest(data[sent..]);
            _loopState = LoopState.EchoWaitingForWrite;
            loop.Watch(this, Epoll.Out);
            return;
        }
        _sendLock.Release();
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
    }

    private async Task TakeSendLockAsync(EpollServerLoop loop)
    {
        try
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return; // Released: the connection is gone.
        }
        loop.Post(this, EpollRequest.SendLockTaken);
    }

    /// <summary>Writes the kept echo rest; the send lock is held. Reading resumes when all of it is out.</summary>
    private void SendEchoRest(EpollServerLoop loop)
    {
        int sent;
        try
        {
            sent = SendAllNow(_echoRest.AsSpan(_echoRestStart, _echoRestEnd - _echoRestStart));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            DropEchoRest();
            _sendLock.Release();
            EndAfter(loop, ex);
            return;
        }
        _echoRestStart += sent;
        if (_echoRestStart < _echoRestEnd)
        {
            _loopState = LoopState.EchoWaitingForWrite;
            loop.Watch(this, Epoll.Out);
            return;
        }
        DropEchoRest();
        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        if (_loopCloseAsked)
        {
            End(loop, ClosedByUsReason, null); // Stops watching before the close path may read (linger).
            _sendLock.Release();
            return;
        }
        _loopState = LoopState.Reading;
        loop.Watch(this, Epoll.In);
        _sendLock.Release();
    }

    private int SendAllNow(ReadOnlySpan<byte> data)
    {
        int total = 0;
        while (total < data.Length)
        {
            int sent = SendNow(data[total..]);
            if (sent == 0)
                break;
            total += sent;
            Interlocked.Add(ref _bytesOut, sent);
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
    private void EndDroppingEcho(EpollServerLoop loop, CloseReason reason, string? detail)
    {
        if (_loopState == LoopState.Ended)
            return;
        bool holdsLock = _loopState == LoopState.EchoWaitingForWrite;
        DropEchoRest();
        End(loop, reason, detail);
        if (holdsLock)
            _sendLock.Release();
    }

    /// <summary>Ends after a socket call failed: as closed by us when we were closing it anyway, else as a reset.</summary>
    private void EndAfter(EpollServerLoop loop, Exception ex)
    {
        if (IsClosing(ex))
            End(loop, ClosedByUsReason, null);
        else
            End(loop, CloseReason.Reset, Describe(ex));
    }

    /// <summary>Stops serving the connection on the loop and starts the close path (drain, FIN, linger) off it.</summary>
    private void End(EpollServerLoop loop, CloseReason reason, string? detail)
    {
        if (_loopState == LoopState.Ended)
            return;
        _loopState = LoopState.Ended;
        loop.Remove(this);
        _guard?.DropWithheld();
        _ = FinishOnLoopAsync(reason, detail);
    }

    private async Task FinishOnLoopAsync(CloseReason reason, string? detail)
    {
        try
        {
            if (IsWatchedForIdle)
                IdleWatchdog.Forget(this);
            await FinishAsync(reason).ConfigureAwait(false);
            ReportClosed(reason, detail);
        }
        catch (Exception ex)
        {
            ReportClosed(CloseReason.Reset, ex.Message);
        }
        finally
        {
            _finishedOnLoop?.Invoke(this);
            Interlocked.Exchange(ref _loopFinished, 1);
            Volatile.Read(ref _loopDone)?.TrySetResult();
        }
    }
}
