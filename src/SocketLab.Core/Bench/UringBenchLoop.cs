using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Uring;
using static SocketLab.Core.Uring.UringNative;

namespace SocketLab.Core.Bench;

/// <summary>
/// The bench's load on io_uring: one thread, one ring. Every connection has one multishot receive armed
/// into a shared provided-buffer ring, so an echo arrives as a completion with its bytes already read; the
/// sends that the echoes free are queued as SQEs and go to the kernel together with the next wait, in one
/// <c>io_uring_enter</c> per loop turn. Per echoed message that is no system call of its own, where the
/// epoll loop pays a <c>recv</c>, a <c>send</c> and a share of <c>epoll_wait</c>.
/// </summary>
internal sealed unsafe class UringBenchLoop
{
    private const int TickMs = 20;
    private const ulong Receive = 1UL << 32;
    private const ulong Send = 2UL << 32;
    private const long BufferBudget = 256L * 1024 * 1024;

    private readonly BenchRun _run;
    private readonly UringBenchConnection[] _connections;
    private readonly int _bufferSize;
    private bool _fixedFiles; // the sockets are the ring's registered files: SQEs name them by index

    public UringBenchLoop(BenchRun run, IReadOnlyList<Socket> sockets, int bufferSize)
    {
        _run = run;
        _connections = sockets.Select((s, i) => new UringBenchConnection(i, s, run)).ToArray();
        _bufferSize = Math.Max(bufferSize, 4096);
    }

    /// <summary>Plain TCP on Linux where io_uring with multishot receive and buffer rings is allowed.</summary>
    public static bool CanRun(BenchOptions options) => options.Tls is null && !options.Udp && UringSupport.IsAvailable;

    public IBenchLoad[] Connections => _connections;

    public Task[] Start()
    {
        Task[] done = _connections.Select(c => c.RunAsync()).ToArray();
        new Thread(Run) { IsBackground = true, Name = "socketlab bench uring" }.Start();
        return done;
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception ex) when (ex is IOException or SocketException or UringUnavailableException)
        {
            foreach (UringBenchConnection c in _connections)
                c.Fail(ex);
        }
    }

    private static uint PowerOfTwoAtLeast(int n) => System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(n, 1));

    private void Loop()
    {
        int n = _connections.Length;
        // Room for one receive and one send per connection in a turn; completions: several per connection.
        uint entries = Math.Min(PowerOfTwoAtLeast(2 * n + 8), 32768);
        using var ring = new IoUring(entries, Math.Min(entries * 4, 65536));
        int count = (int)Math.Clamp(PowerOfTwoAtLeast(2 * n), 64, 16384);
        // The same memory budget as the epoll loop's per-connection buffers, shared by all connections.
        int size = (int)Math.Clamp(Math.Min(_bufferSize, BufferBudget / count), 4096, 64 * 1024);
        using var buffers = new ProvidedBuffers(ring, 0, count, size);
        _fixedFiles = ring.TryRegisterFiles(_connections.Select(c => c.Fd).ToArray());
        DueQueue? due = _run.Schedule is null ? null : new DueQueue(n);
        var counted = new bool[n];
        int open = n;

        void Count(int i)
        {
            if (_connections[i].IsDone && !counted[i])
            {
                counted[i] = true;
                open--;
            }
        }

        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            ArmReceive(ring, i, buffers.Group);
            _connections[i].Begin(now);
            QueueSend(ring, i);
            due?.Add(i, _connections[i].NextDue);
            Count(i);
        }

        while (open > 0)
        {
            ring.Submit(due is null ? TickMs * 1000L : OpenLoop.MicrosUntil(due.Earliest, TickMs));
            now = Stopwatch.GetTimestamp();
            while (ring.TryPeek(out Cqe cqe))
            {
                ring.Advance();
                int i = (int)(uint)cqe.UserData;
                UringBenchConnection c = _connections[i];
                if ((cqe.UserData & Send) != 0)
                {
                    c.OnSent(cqe.Res);
                }
                else
                {
                    if ((cqe.Flags & CqeBuffer) != 0)
                    {
                        ushort id = (ushort)(cqe.Flags >> CqeBufferShift);
                        if (cqe.Res > 0)
                            c.OnReceived(buffers.Data(id, cqe.Res), now);
                        buffers.Recycle(id);
                    }
                    if (cqe.Res == 0)
                        c.OnClosed();
                    else if (cqe.Res < 0 && cqe.Res != -105) // ENOBUFS: every buffer was taken; re-armed below
                        c.Fail(UringErrors.ToException(-cqe.Res));
                    else if ((cqe.Flags & CqeMore) == 0 && !c.IsDone)
                        ArmReceive(ring, i, buffers.Group); // The multishot receive ended: start another.
                }
                QueueSend(ring, i);
                due?.Add(i, c.NextDue);
                Count(i);
            }
            buffers.Publish();

            if (due is not null)
            {
                while (due.TryTakeDue(now, out int i))
                {
                    _connections[i].OnDue(now);
                    QueueSend(ring, i);
                    due.Add(i, _connections[i].NextDue);
                    Count(i);
                }
            }
            if (_run.Aborted)
            {
                foreach (UringBenchConnection c in _connections)
                    c.Fail(new TimeoutException());
                return;
            }
            if (_run.Stopping)
            {
                // Connections with nothing in flight at the stop get no more completions: look at each.
                for (int i = 0; i < n; i++)
                {
                    _connections[i].CheckFinished();
                    Count(i);
                }
            }
        }
    }

    private void ArmReceive(IoUring ring, int i, ushort group)
    {
        Sqe* sqe = Next(ring);
        sqe->Opcode = OpRecv;
        SetFile(sqe, i);
        sqe->IoPrio = RecvMultishot;
        sqe->Flags |= SqeBufferSelect;
        sqe->BufGroup = group;
        sqe->UserData = Receive | (uint)i;
    }

    private void QueueSend(IoUring ring, int i)
    {
        UringBenchConnection c = _connections[i];
        if (!c.WantsSend)
            return;
        int length = c.StartSend(out long position);
        Sqe* sqe = Next(ring);
        sqe->Opcode = OpSend;
        SetFile(sqe, i);
        sqe->Addr = (ulong)_run.Pattern.AddressOf(position);
        sqe->Len = (uint)length;
        sqe->OpFlags = MsgNoSignal | MsgWaitAll; // WAITALL: the kernel finishes a short send itself.
        sqe->UserData = Send | (uint)i;
    }

    private void SetFile(Sqe* sqe, int i)
    {
        if (_fixedFiles)
        {
            sqe->Fd = i;
            sqe->Flags |= SqeFixedFile;
        }
        else
        {
            sqe->Fd = _connections[i].Fd;
        }
    }

    /// <summary>An SQE; when the queue is full, what is queued goes to the kernel first.</summary>
    private static Sqe* Next(IoUring ring)
    {
        Sqe* sqe = ring.NextSqe();
        while (sqe is null)
        {
            ring.Submit(0);
            sqe = ring.NextSqe();
        }
        return sqe;
    }
}
