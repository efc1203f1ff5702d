using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SocketLab.Core.Tcp;

/// <summary>
/// The io_uring engine's driver: a connection served by a <see cref="UringServerLoop"/>, with the epoll driver's
/// behaviour (echo before reading on, ordered sends, graceful close) driven by completions on the loop's thread.
/// A multishot receive is in the ring while the connection reads; each arrival is reported and echoed from the buffer
/// it came in. What arrives while an echo is going out waits (parked, in its buffer) and is handled in order once the
/// echo is out; the receive is cancelled then, so a peer that sends without reading holds a few buffers, not the ring's.
/// Everything here except <see cref="LoopDriver.Start"/> and <see cref="LoopDriver.CloseRequested"/> runs on the loop's thread. Plain sockets only.
/// While an operation of this connection is in the ring, its socket handle is referenced, so a socket closed by
/// another thread meanwhile keeps its descriptor (its number cannot be reused underneath an operation).
/// </summary>
internal sealed class UringDriver : LoopDriver
{
    private enum LoopState : byte
    {
        Reading,                // A receive is in the ring (or waits for a free buffer), and nothing is parked.
        EchoWaitingForLock,     // Another sender holds the send lock; the echo waits in native memory.
        EchoSending,            // The echo is in the ring (the send lock is held).
        Ended,
    }

    private const int ECANCELED = 125;
    private const int EINVAL = 22;

    private readonly UringServerLoop _loop;
    private readonly SafeSocketHandle _handle;
    private int _fd = -1;
    private LoopState _state;
    private bool _closeAsked;
    private bool _receiving;       // a multishot receive is in the ring (until its last completion, without CqeMore)
    private bool _cancelling;      // ... and its cancel has been asked for (arrivals parked behind an echo)
    private bool _receiveMultishot; // ... and it is a (capped) multishot one
    private bool _sending;         // a send is in the ring
    private unsafe byte* _echo;           // what the echo sends: a receive buffer or native memory
    private int _echoStart;
    private int _echoEnd;
    private ushort _echoBuffer;    // the receive buffer the echo is sent from, when _echoOwned is false
    private bool _echoOwned;       // _echo is native memory of this driver's own (freed when sent)
    private int _heldBuffer = -1;  // a receive buffer being read, until it is recycled or becomes the echo's
    private (CloseReason Reason, string? Detail)? _finish; // the close End asked for, started once the receive is out of the ring
    private Queue<Arrival>? _parked; // arrivals while an echo was going out, handled in order once it is out (made when first needed)

    public UringDriver(TcpConnection connection, UringServerLoop loop, Action<TcpConnection> finished)
        : base(connection, loop.Inbox, finished)
    {
        _loop = loop;
        _handle = connection.Io.Socket.SafeHandle;
    }

    protected override bool Ended => _state == LoopState.Ended;

    protected override void MarkEnded() => _state = LoopState.Ended;

    internal override void OnRequest(LoopRequest request)
    {
        try
        {
            switch (request)
            {
                case LoopRequest.Start when _state == LoopState.Reading && Slot < 0:
                    _loop.Add(this);
                    if (_c.Aborted || _c.CloseAsked)
                        End(_c.ClosedByUsReason, null);
                    else if (!Receive())
                        End(CloseReason.Reset, "the socket closed before it could be read");
                    break;
                case LoopRequest.Close:
                    _closeAsked = true;
                    if (_state == LoopState.Reading || (_c.Aborted && _state != LoopState.Ended))
                        EndDroppingEcho(_c.ClosedByUsReason, null);
                    break;
                case LoopRequest.SendLockTaken when _state == LoopState.EchoWaitingForLock:
                    SendEcho();
                    break;
                case LoopRequest.SendLockTaken:
                    _c.ReleaseSendLock();
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

    /// <summary>The loop is stopping with this connection on it: reset it and report. The ring's close cancels what is in it.</summary>
    internal void Abandon()
    {
        // References first: closing a socket waits until no one holds its handle, and the ring's close ends what is in it.
        Release(ref _receiving);
        Release(ref _sending);
        _c.Abort();
        EndDroppingEcho(_c.ClosedByUsReason, null);
        FreeEcho();
        StartFinish(); // Ended before, waiting for a receive's last completion that will not come now.
    }

    /// <summary>
    /// Reads on: the oldest parked arrival is handled now, as if it had just come; with none parked, a multishot receive
    /// is armed unless one is in the ring. False when the socket is already gone.
    /// </summary>
    private bool Receive()
    {
        if (_parked is { Count: > 0 })
        {
            Handle(_parked.Dequeue());
            return true;
        }
        if (_receiving)
            return true; // Still armed (a probe's echo went out meanwhile, or its cancel has not landed yet).
        if (!Reference())
            return false;
        _receiving = true;
        _receiveMultishot = _loop.ArmReceive(this, _fd);
        return true;
    }

    /// <summary>A buffer came back after this connection's receive found none: receive again.</summary>
    internal void OnBufferFree()
    {
        if (_state == LoopState.Reading && !_receiving && !Receive())
            End(CloseReason.Reset, "the socket closed");
    }

    /// <summary>
    /// A completion of this connection's receive: <paramref name="arrival"/>, and whether the receive stays armed
    /// (<paramref name="more"/>; without it, this was its last completion).
    /// </summary>
    internal void OnReceived(Arrival arrival, bool more)
    {
        if (!more)
        {
            Release(ref _receiving);
            _cancelling = false;
        }
        if (_state == LoopState.Ended)
        {
            // Ended meanwhile: what it read is dropped, as the close drains and drops it too.
            if (arrival.HasBuffer)
                _loop.Recycle(arrival.Buffer);
            if (!more)
                StartFinish();
            MaybeLeave();
            return;
        }
        if (arrival.Result == -EINVAL && _receiveMultishot)
        {
            // This kernel does not know the multishot receive's cap (before 6.17): it never ran. Single receives then.
            _loop.UseSingleReceives();
            if (_state == LoopState.Reading)
                ReceiveOrEnd();
            return;
        }
        if (arrival.Result == -ECANCELED)
        {
            // The cancel asked for when an arrival was parked: reading resumes once what is parked has been handled.
            if (_state == LoopState.Reading)
                ReceiveOrEnd();
            return;
        }
        if (_state != LoopState.Reading)
        {
            // An echo is going out (the peer sent more without waiting for it, or a probe's held echo went out while
            // the receive was armed). What came waits in its buffer until the echo is out, as the epoll engine
            // leaves it in the socket; the receive stops so that a peer that does not read cannot take every buffer.
            (_parked ??= new Queue<Arrival>(4)).Enqueue(arrival);
            if (_receiving && !_cancelling)
            {
                _cancelling = true;
                _loop.Cancel(this, UringServerLoop.KindReceive);
            }
            return;
        }
        Handle(arrival);
    }

    /// <summary>What a receive delivered, while reading: data to report and echo, the end of the stream, or a failure.</summary>
    private void Handle(Arrival arrival)
    {
        try
        {
            if (arrival.NoBuffer)
            {
                _loop.Starved(this); // Every buffer is held by an echo in the ring; one will come back.
                return;
            }
            if (arrival.Result == 0)
            {
                End(CloseReason.RemoteClosed, null);
                return;
            }
            if (arrival.Result < 0)
            {
                EndAfter(new SocketException(-arrival.Result));
                return;
            }
            _heldBuffer = arrival.Buffer;
            Read(arrival.Buffer, arrival.Result);
        }
        catch (Exception ex)
        {
            EndDroppingEcho(CloseReason.Reset, ex.Message);
        }
        finally
        {
            if (_heldBuffer >= 0)
                _loop.Recycle((ushort)_heldBuffer); // An observer threw before the buffer was given back.
            _heldBuffer = -1;
        }
    }

    /// <summary>Gives the receive buffer being read back to the ring.</summary>
    private void RecycleHeld()
    {
        _loop.Recycle((ushort)_heldBuffer);
        _heldBuffer = -1;
    }

    private void ReceiveOrEnd()
    {
        if (!Receive())
            End(CloseReason.Reset, "the socket closed");
    }

    private unsafe void Read(ushort id, int length)
    {
        // Readable during a probe: the peer sent more without waiting for the held echo, so it was no loop.
        // The held echo goes first; this read waits in its buffer behind it (it is echoed after).
        ReadOnlySpan<byte> data = _loop.BufferData(id, length);
        if (_c.Guard is { Probing: true } guard)
        {
            byte[] held = guard.Clear(out int heldLength);
            byte* copy = CopyToNative(held.AsSpan(0, heldLength), data);
            ArrayPool<byte>.Shared.Return(held);
            _c.Received(data);
            RecycleHeld();
            EchoNative(copy, heldLength + (_c.Echo ? length : 0));
            return;
        }
        _c.Received(data);
        if (!_c.Echo)
        {
            RecycleHeld();
            ReceiveOrEnd();
            return;
        }
        if (_c.WithholdForProbe(data))
        {
            RecycleHeld();
            _c.Guard!.StartTimer(static state => ((UringDriver)state!).ProbeTimedOut(), this);
            ReceiveOrEnd();
            return;
        }
        if (!_c.TryTakeSendLock())
        {
            // A SendAsync/Post is writing: the echo goes after it (in memory of its own), and reading waits.
            byte* copy = CopyToNative(data, default);
            RecycleHeld();
            WaitForLock(copy, length);
            return;
        }
        _echo = _loop.BufferAddress(id);
        _echoBuffer = id;
        _heldBuffer = -1; // The echo's now: recycled when it has been sent.
        _echoOwned = false;
        _echoStart = 0;
        _echoEnd = length;
        SendEcho();
    }

    /// <summary>The probe's held echo, after a loop was found (echo is off now): it goes out as the last one.</summary>
    private unsafe void EchoHeld(byte[] held, int length)
    {
        byte* copy;
        try
        {
            copy = CopyToNative(held.AsSpan(0, length), default);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
        EchoNative(copy, length);
    }

    /// <summary>Echoes bytes in native memory of this driver's own (freed once sent).</summary>
    private unsafe void EchoNative(byte* data, int length)
    {
        if (length == 0)
        {
            NativeMemory.Free(data);
            ReceiveOrEnd();
            return;
        }
        if (!_c.TryTakeSendLock())
        {
            WaitForLock(data, length);
            return;
        }
        _echo = data;
        _echoOwned = true;
        _echoStart = 0;
        _echoEnd = length;
        SendEcho();
    }

    private unsafe void WaitForLock(byte* data, int length)
    {
        _echo = data;
        _echoOwned = true;
        _echoStart = 0;
        _echoEnd = length;
        _state = LoopState.EchoWaitingForLock;
        _ = TakeSendLockAsync();
    }

    private unsafe static byte* CopyToNative(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        byte* copy = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, first.Length + second.Length));
        first.CopyTo(new Span<byte>(copy, first.Length));
        second.CopyTo(new Span<byte>(copy + first.Length, second.Length));
        return copy;
    }

    private void ProbeTimedOut() => Post(LoopRequest.ProbeTimeout);

    private async Task TakeSendLockAsync()
    {
        try
        {
            await _c.TakeSendLockAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        Post(LoopRequest.SendLockTaken);
    }

    /// <summary>Queues the echo's rest as a send; the send lock is held.</summary>
    private unsafe void SendEcho()
    {
        if (!Reference())
        {
            FreeEcho();
            _c.ReleaseSendLock();
            End(_c.IsClosing(new ObjectDisposedException(nameof(Socket))) ? _c.ClosedByUsReason : CloseReason.Reset, null);
            return;
        }
        _sending = true;
        _state = LoopState.EchoSending;
        _loop.QueueSend(this, _fd, _echo + _echoStart, _echoEnd - _echoStart);
    }

    /// <summary>A send completed with <paramref name="result"/> bytes, or −errno.</summary>
    internal unsafe void OnSent(int result)
    {
        Release(ref _sending);
        try
        {
            if (_state != LoopState.EchoSending)
            {
                // Ended meanwhile (aborted): the lock was given back then.
                FreeEcho();
                MaybeLeave();
                return;
            }
            if (result < 0)
            {
                FreeEcho();
                _c.ReleaseSendLock();
                EndAfter(new SocketException(-result));
                return;
            }
            _c.CountSent(result);
            _echoStart += result;
            if (_echoStart < _echoEnd)
            {
                SendEcho(); // The kernel took part (a peer reading slowly): the rest goes when it has room.
                return;
            }
            FreeEcho();
            _c.Touch();
            if (_closeAsked)
            {
                End(_c.ClosedByUsReason, null);
                _c.ReleaseSendLock();
                return;
            }
            _state = LoopState.Reading;
            _c.ReleaseSendLock();
            ReceiveOrEnd();
        }
        catch (Exception ex)
        {
            EndDroppingEcho(CloseReason.Reset, ex.Message);
        }
    }

    private unsafe void FreeEcho()
    {
        if (_echo is null)
            return;
        if (_echoOwned)
            NativeMemory.Free(_echo);
        else
            _loop.Recycle(_echoBuffer);
        _echo = null;
    }

    /// <summary>References the socket's handle for an operation about to go into the ring; false when it is closed.</summary>
    private bool Reference()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        if (!added)
            return false;
        _fd = (int)_handle.DangerousGetHandle();
        return true;
    }

    private void Release(ref bool inRing)
    {
        if (!inRing)
            return;
        inRing = false;
        _handle.DangerousRelease();
    }

    /// <summary>Ends while an echo may still be waiting: it is dropped, and a send lock held for it is given back.</summary>
    private void EndDroppingEcho(CloseReason reason, string? detail)
    {
        if (_state == LoopState.Ended)
            return;
        bool holdsLock = _state == LoopState.EchoSending;
        if (!_sending)
            FreeEcho(); // A send in the ring still reads its bytes: they are freed when it completes.
        End(reason, detail);
        if (holdsLock)
            _c.ReleaseSendLock();
    }

    private void EndAfter(Exception ex)
    {
        if (_c.IsClosing(ex))
            End(_c.ClosedByUsReason, null);
        else
            End(CloseReason.Reset, TcpConnection.Describe(ex));
    }

    /// <summary>Stops serving: what is in the ring is cancelled (its completions still come), then the close path runs off the loop.</summary>
    private void End(CloseReason reason, string? detail)
    {
        if (_state == LoopState.Ended)
            return;
        _state = LoopState.Ended;
        while (_parked is { Count: > 0 })
        {
            Arrival parked = _parked.Dequeue();
            if (parked.HasBuffer)
                _loop.Recycle(parked.Buffer);
        }
        if (_receiving && !_cancelling)
            _loop.Cancel(this, UringServerLoop.KindReceive);
        if (_sending)
            _loop.Cancel(this, UringServerLoop.KindSend); // Only after an abort or a failure: a graceful close waits for the echo.
        _c.Guard?.DropWithheld();
        MaybeLeave();
        _finish = (reason, detail);
        if (!_receiving)
            StartFinish();
    }

    /// <summary>
    /// Starts the close protocol asked for by <see cref="End"/>, once the receive is out of the ring: .NET disposes a
    /// socket whose handle is still referenced by disconnecting it (an RST), where a close otherwise sends FIN.
    /// Off the loop's thread: the close waits for a send still in the ring, whose completion only this thread takes.
    /// </summary>
    private void StartFinish()
    {
        if (_finish is not { } finish)
            return;
        _finish = null;
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Driver.FinishAsync(s.Reason, s.Detail), (Driver: this, finish.Reason, finish.Detail), preferLocal: false);
    }

    /// <summary>Gives the slot back once the connection has ended and nothing of it is in the ring.</summary>
    private void MaybeLeave()
    {
        if (_state == LoopState.Ended && !_receiving && !_sending)
            _loop.Free(this);
    }
}

/// <summary>One completion of a receive: <see cref="Result"/> bytes in buffer <see cref="Buffer"/> (when <see cref="HasBuffer"/>), 0 at the end of the stream, or −errno.</summary>
internal readonly record struct Arrival(int Result, ushort Buffer, bool HasBuffer)
{
    /// <summary>ENOBUFS: every provided buffer was taken when data came.</summary>
    public bool NoBuffer => Result == -105;
}
