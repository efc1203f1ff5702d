using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Uring;
using static SocketLab.Core.Uring.UringNative;

namespace SocketLab.Core.Tcp;

/// <summary>
/// One thread of the server's io_uring engine (Linux 6.0+, plain TCP), owned by a <see cref="UringLoopGroup"/>:
/// one ring, one ring of provided receive buffers shared by all its connections. A connection that may read has
/// one multishot receive in the ring: it stays armed from message to message, each arrival coming as a completion
/// already in a buffer, and the echo goes back as a send from that same buffer (no copy), queued with the other
/// sends of the turn and submitted with the next wait: one <c>io_uring_enter</c> per loop turn, and per echo one
/// SQE (the send) and two completions. Data that arrives while its connection's echo is still going out waits in
/// its buffer, and the receive is cancelled then, so a peer that does not read holds a few buffers and stops being
/// read, as on the epoll engine.
/// Only the loop's thread touches the ring; other threads queue a request (<see cref="Inbox"/>) and wake it.
/// </summary>
internal sealed unsafe class UringServerLoop
{
    private const int SlotBits = 24;
    private const ulong SlotMask = (1UL << SlotBits) - 1;
    private const int KindShift = 56;
    internal const ulong KindReceive = 1UL << KindShift;
    internal const ulong KindSend = 2UL << KindShift;
    private const ulong KindWake = 3UL << KindShift;
    private const ulong KindCancel = 4UL << KindShift;
    private const int Buffers = 4096;
    private const int BufferSize = 16 * 1024;

    // Made on the loop's thread: a single-issuer ring belongs to the thread that creates it.
    private IoUring _ring = null!;
    private ProvidedBuffers _buffers = null!;
    private readonly LoopInbox _inbox = new();
    private readonly Queue<UringDriver> _starved = new();  // receives that found no free buffer
    private readonly Thread _thread;
    private readonly LoopSlots<UringDriver> _slots = new();
    private bool _multishot;
    private readonly bool _capRefused;
    private readonly long _busyPollTicks;
    private int _buffersHeld;

    /// <param name="name">The loop thread's name.</param>
    /// <param name="busyPoll">After completions, keep collecting this long before waiting (<see cref="TcpServerOptions.BusyPoll"/>).</param>
    /// <param name="multishot">False: single receives, as on a kernel without the multishot receive's cap.</param>
    /// <param name="capRefused">For tests: the first multishot receives are refused as a kernel before 6.17 refuses the cap.</param>
    public UringServerLoop(string name, TimeSpan busyPoll = default, bool multishot = true, bool capRefused = false)
    {
        _busyPollTicks = (long)(busyPoll.TotalSeconds * Stopwatch.Frequency);
        _multishot = multishot;
        _capRefused = capRefused;
        var ready = new TaskCompletionSource();
        _thread = new Thread(() => Run(ready)) { IsBackground = true, Name = name };
        _thread.Start();
        ready.Task.GetAwaiter().GetResult(); // The ring's setup failure (io_uring refused) surfaces here.
    }

    /// <summary>Ends the loop's thread and closes the ring (waits for the thread).</summary>
    public void Stop()
    {
        _inbox.Stop();
        if (Thread.CurrentThread != _thread)
            _thread.Join();
        _inbox.Dispose();
    }

    /// <summary>Where other threads post requests for this loop's connections.</summary>
    public LoopInbox Inbox => _inbox;

    /// <summary>Starts serving <paramref name="c"/>: gives it a slot (its completions are routed by it).</summary>
    public void Add(UringDriver c) => _slots.Add(c);

    /// <summary>Stops serving <paramref name="c"/> (nothing of it is in the ring any more).</summary>
    public void Free(UringDriver c) => _slots.Free(c);

    private static ulong Data(UringDriver c, ulong kind) => kind | ((ulong)c.Generation << SlotBits) | (uint)c.Slot;

    /// <summary>
    /// Queues a receive into provided buffers for <paramref name="c"/>. Multishot (true is returned): one completion
    /// per arrival, flagged <see cref="CqeMore"/> while it stays armed, until it is cancelled, the buffers run out, the
    /// stream ends, or one buffer's worth of bytes has come — the cap (Linux 6.17) keeps a peer whose echo is stuck
    /// from filling dozens of buffers with one burst before the receive's cancel lands. Where the kernel has no cap,
    /// a single receive (one completion), so that a peer still holds one buffer at most.
    /// </summary>
    public bool ArmReceive(UringDriver c, int fd)
    {
        Sqe* sqe = Next();
        sqe->Opcode = OpRecv;
        sqe->Fd = fd;
        sqe->Flags = SqeBufferSelect;
        sqe->BufGroup = _buffers.Group;
        if (_multishot)
        {
            sqe->IoPrio = RecvMultishot;
            sqe->OptLen = BufferSize;
            if (_capRefused)
                sqe->OpFlags = MsgWaitAll; // Every kernel refuses WAITALL on a multishot receive with EINVAL, as old ones refuse the cap.
        }
        sqe->UserData = Data(c, KindReceive);
        return _multishot;
    }

    /// <summary>A capped multishot receive was refused as invalid (a kernel before 6.17): single receives from now on.</summary>
    public void UseSingleReceives() => _multishot = false;

    /// <summary>Whether receives are multishot (false after a refusal of the cap, or when made so).</summary>
    public bool Multishot => Volatile.Read(ref _multishot);

    /// <summary>
    /// Queues a send of <paramref name="length"/> bytes at <paramref name="address"/> (which must stay put until it
    /// completes). WAITALL: it completes with every byte or fails, the kernel sending a short send's rest itself.
    /// </summary>
    public void QueueSend(UringDriver c, int fd, byte* address, int length)
    {
        Sqe* sqe = Next();
        sqe->Opcode = OpSend;
        sqe->Fd = fd;
        sqe->Addr = (ulong)address;
        sqe->Len = (uint)length;
        sqe->OpFlags = MsgNoSignal | MsgWaitAll;
        sqe->UserData = Data(c, KindSend);
    }

    /// <summary>Asks the kernel to cancel <paramref name="c"/>'s operation of this kind (its completion still comes, as cancelled or done).</summary>
    public void Cancel(UringDriver c, ulong kind)
    {
        Sqe* sqe = Next();
        sqe->Opcode = OpAsyncCancel;
        sqe->Fd = -1;
        sqe->Addr = Data(c, kind);
        sqe->UserData = KindCancel;
    }

    /// <summary>The bytes a receive delivered in buffer <paramref name="id"/>.</summary>
    public byte* BufferAddress(ushort id) => _buffers.Address(id);

    public ReadOnlySpan<byte> BufferData(ushort id, int length) => _buffers.Data(id, length);

    /// <summary>Receive buffers that have come with data and not been given back yet (read by tests from any thread).</summary>
    public int BuffersHeld => Volatile.Read(ref _buffersHeld);

    /// <summary>Gives a receive buffer back; a connection that found none gets its receive armed again.</summary>
    public void Recycle(ushort id)
    {
        _buffersHeld--;
        _buffers.Recycle(id);
        if (_starved.TryDequeue(out UringDriver? waiting))
            waiting.OnBufferFree();
    }

    /// <summary>Remembers <paramref name="c"/>, whose receive found no free buffer, until one comes back.</summary>
    public void Starved(UringDriver c) => _starved.Enqueue(c);

    private Sqe* Next()
    {
        Sqe* sqe = _ring.NextSqe();
        while (sqe is null)
        {
            _ring.Submit(0);
            sqe = _ring.NextSqe();
        }
        return sqe;
    }

    private void ArmWake()
    {
        Sqe* sqe = Next();
        sqe->Opcode = OpPollAdd;
        sqe->Fd = _inbox.WakeHandle;
        sqe->Len = PollAddMulti;
        sqe->OpFlags = PollIn;
        sqe->UserData = KindWake;
    }

    private void Run(TaskCompletionSource ready)
    {
        try
        {
            _ring = new IoUring(4096, 16384);
            _buffers = new ProvidedBuffers(_ring, 0, Buffers, BufferSize);
        }
        catch (Exception ex)
        {
            _ring?.Dispose();
            ready.SetException(ex);
            return;
        }
        ready.SetResult();
        try
        {
            Serve();
        }
        finally
        {
            _buffers.Dispose();
            _ring.Dispose();
        }
    }

    private void Serve()
    {
        ArmWake();
        long busyPoll = _busyPollTicks;
        long pollUntil = 0;
        while (!_inbox.Stopping)
        {
            // Busy polling, as the epoll loops do: for a while after completions, collect without waiting (the
            // kernel runs this ring's deferred work inside the call), so the next message needs no wake-up.
            // Otherwise wait: woken by a completion or by the wake signal's poll, so no timeout is needed.
            bool polling = busyPoll > 0 && Stopwatch.GetTimestamp() < pollUntil;
            _ring.Submit(polling ? 0 : IoUring.NoTimeout);
            bool woken = false;
            bool any = false;
            while (_ring.TryPeek(out Cqe cqe))
            {
                _ring.Advance();
                any = true;
                ulong kind = cqe.UserData & (0xFFUL << KindShift);
                if (kind == KindWake)
                {
                    woken = true;
                    if ((cqe.Flags & CqeMore) == 0)
                        ArmWake();
                    continue;
                }
                if (kind == KindCancel)
                    continue;
                if ((cqe.Flags & CqeBuffer) != 0)
                    _buffersHeld++;
                UringDriver? c = _slots.Find((int)(cqe.UserData & SlotMask), (uint)(cqe.UserData >> SlotBits));
                if (c is null)
                {
                    // Cannot happen (a slot is freed only with nothing in flight); a buffer is never lost anyway.
                    if ((cqe.Flags & CqeBuffer) != 0)
                        Recycle((ushort)(cqe.Flags >> CqeBufferShift));
                    continue;
                }
                if (kind == KindReceive)
                {
                    bool hasBuffer = (cqe.Flags & CqeBuffer) != 0;
                    c.OnReceived(new Arrival(cqe.Res, hasBuffer ? (ushort)(cqe.Flags >> CqeBufferShift) : (ushort)0, hasBuffer), (cqe.Flags & CqeMore) != 0);
                }
                else
                {
                    c.OnSent(cqe.Res);
                }
            }
            if (any && busyPoll > 0)
                pollUntil = Stopwatch.GetTimestamp() + busyPoll;
            _buffers.Publish();
            _inbox.Deliver(woken);
        }
        foreach (UringDriver c in _slots.All().ToList())
            c.Abandon();
    }
}
