using System.Runtime.InteropServices;
using static SocketLab.Core.Uring.UringNative;

namespace SocketLab.Core.Uring;

/// <summary>
/// One io_uring instance for one thread: the submission and completion rings mapped into this process,
/// SQEs handed out until <see cref="Submit"/>, completions read in place. Set up single-issuer with
/// deferred task running, so the kernel completes work only inside this thread's
/// <c>io_uring_enter</c> — no interrupts of the loop, and completions come in batches.
/// </summary>
internal sealed unsafe class IoUring : IDisposable
{
    private readonly int _fd;
    private readonly nint _ringMemory;
    private readonly nuint _ringSize;
    private readonly nint _sqeMemory;
    private readonly nuint _sqeSize;
    private readonly uint* _sqTail;
    private readonly uint* _sqHead;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private readonly Sqe* _sqes;
    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly Cqe* _cqes;
    private uint _sqLocalTail;
    private uint _toSubmit;
    private int _disposed;

    /// <param name="entries">Submission queue size (a power of two).</param>
    /// <param name="cqEntries">Completion queue size (a power of two, at least <paramref name="entries"/>).</param>
    public IoUring(uint entries, uint cqEntries)
    {
        Params p = default;
        p.Flags = SetupCqSize | SetupSubmitAll | SetupCoopTaskrun | SetupSingleIssuer | SetupDeferTaskrun;
        p.CqEntries = cqEntries;
        _fd = Setup(entries, &p);
        if (_fd < 0)
        {
            // Kernels before 6.1 lack DEFER_TASKRUN: try again without the optional flags.
            p = default;
            p.Flags = SetupCqSize;
            p.CqEntries = cqEntries;
            _fd = Setup(entries, &p);
        }
        if (_fd < 0)
            throw new UringUnavailableException("io_uring_setup", Marshal.GetLastPInvokeError());
        try
        {
            if ((p.Features & FeatSingleMmap) == 0 || (p.Features & FeatExtArg) == 0)
                throw new UringUnavailableException("io_uring without single mmap and timed waits (Linux 5.11)", 95 /* EOPNOTSUPP */);
            _ringSize = Math.Max(p.SqOff.Array + p.SqEntries * 4, p.CqOff.Cqes + p.CqEntries * (uint)CqeSize);
            _ringMemory = mmap(0, _ringSize, ProtReadWrite, MapShared | MapPopulate, _fd, OffSqRing);
            if (_ringMemory == MapFailed)
                throw new UringUnavailableException("mmap of the io_uring rings", Marshal.GetLastPInvokeError());
            _sqeSize = p.SqEntries * (uint)SqeSize;
            _sqeMemory = mmap(0, _sqeSize, ProtReadWrite, MapShared | MapPopulate, _fd, OffSqes);
            if (_sqeMemory == MapFailed)
                throw new UringUnavailableException("mmap of the io_uring SQEs", Marshal.GetLastPInvokeError());

            byte* ring = (byte*)_ringMemory;
            _sqHead = (uint*)(ring + p.SqOff.Head);
            _sqTail = (uint*)(ring + p.SqOff.Tail);
            _sqMask = *(uint*)(ring + p.SqOff.RingMask);
            _sqEntries = p.SqEntries;
            uint* array = (uint*)(ring + p.SqOff.Array);
            for (uint i = 0; i < p.SqEntries; i++)
                array[i] = i; // SQE i always sits in slot i: the indirection array is the identity.
            _sqes = (Sqe*)_sqeMemory;
            _cqHead = (uint*)(ring + p.CqOff.Head);
            _cqTail = (uint*)(ring + p.CqOff.Tail);
            _cqMask = *(uint*)(ring + p.CqOff.RingMask);
            _cqes = (Cqe*)(ring + p.CqOff.Cqes);
            _sqLocalTail = *_sqTail;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Fd => _fd;

    /// <summary>
    /// A cleared SQE to fill, or null when the submission queue is full (then <see cref="Submit"/> first).
    /// It is submitted with the next <see cref="Submit"/>.
    /// </summary>
    public Sqe* NextSqe()
    {
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) >= _sqEntries)
            return null;
        Sqe* sqe = &_sqes[_sqLocalTail & _sqMask];
        *sqe = default;
        _sqLocalTail++;
        _toSubmit++;
        return sqe;
    }

    /// <summary>SQEs filled since the last submission.</summary>
    public uint Pending => _toSubmit;

    /// <summary>
    /// Publishes the filled SQEs and, in the same system call, waits until at least one completion is
    /// there or <paramref name="timeoutMicros"/> has passed (0: do not wait; just submit and collect;
    /// <see cref="NoTimeout"/>: wait for a completion however long it takes).
    /// </summary>
    public void Submit(long timeoutMicros)
    {
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        uint submit = _toSubmit;
        int r;
        if (timeoutMicros == NoTimeout)
        {
            // No timeout to copy in and arm: a loop woken only by its completions waits this way.
            r = Enter(_fd, submit, 1u, EnterGetEvents, null, 0);
        }
        else if (timeoutMicros == 0)
        {
            // Collect without waiting (a busy-polling loop): GETEVENTS still runs the ring's deferred work.
            r = Enter(_fd, submit, 0u, EnterGetEvents, null, 0);
        }
        else
        {
            var ts = new KernelTimespec { Sec = timeoutMicros / 1_000_000, Nsec = timeoutMicros % 1_000_000 * 1000 };
            var arg = new GetEventsArg { Ts = (ulong)&ts };
            r = Enter(_fd, submit, 1u, EnterGetEvents | EnterExtArg, &arg, sizeof(GetEventsArg));
        }
        if (r >= 0)
        {
            _toSubmit -= Math.Min(_toSubmit, (uint)r);
            return;
        }
        int errno = Marshal.GetLastPInvokeError();
        // ETIME: the wait ran out; EINTR: a signal; EAGAIN/EBUSY: completions must be reaped first.
        // With SUBMIT_ALL every SQE was consumed unless the call failed before submitting (then it stays queued).
        if (errno is 62 or 4 or 11 or 16)
        {
            _toSubmit = _sqLocalTail - Volatile.Read(ref *_sqHead);
            return;
        }
        throw new IOException($"io_uring_enter failed (errno {errno})");
    }

    /// <summary>For <see cref="Submit"/>: wait without a timeout.</summary>
    public const long NoTimeout = -1;

    /// <summary>The next completion, if one is waiting; call <see cref="Advance"/> when done with it.</summary>
    public bool TryPeek(out Cqe cqe)
    {
        uint head = *_cqHead;
        if (head == Volatile.Read(ref *_cqTail))
        {
            cqe = default;
            return false;
        }
        cqe = _cqes[head & _cqMask];
        return true;
    }

    /// <summary>Hands the completion just read back to the kernel.</summary>
    public void Advance() => Volatile.Write(ref *_cqHead, *_cqHead + 1);

    /// <summary>
    /// Registers <paramref name="fds"/> as the ring's fixed files: an SQE with <see cref="SqeFixedFile"/> then names a
    /// socket by its index, and the kernel skips looking the descriptor up (and counting its reference) per operation.
    /// </summary>
    public bool TryRegisterFiles(ReadOnlySpan<int> fds)
    {
        fixed (int* p = fds)
            return Register(_fd, RegisterFiles, p, (uint)fds.Length) == 0;
    }

    /// <summary>Whether the kernel supports each of <paramref name="opcodes"/> (IORING_REGISTER_PROBE).</summary>
    public bool Supports(params ReadOnlySpan<byte> opcodes)
    {
        const int ops = 256;
        // struct io_uring_probe: 16-byte header, then 8 bytes per op { u8 op; u8 resv; u16 flags; u32 resv2 }.
        byte* probe = stackalloc byte[16 + ops * 8];
        new Span<byte>(probe, 16 + ops * 8).Clear();
        if (Register(_fd, RegisterProbe, probe, ops) < 0)
            return false;
        byte lastOp = probe[0];
        foreach (byte op in opcodes)
        {
            if (op > lastOp || (*(ushort*)(probe + 16 + op * 8 + 2) & 1) == 0) // IO_URING_OP_SUPPORTED
                return false;
        }
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_sqeMemory != 0 && _sqeMemory != MapFailed)
            _ = munmap(_sqeMemory, _sqeSize);
        if (_ringMemory != 0 && _ringMemory != MapFailed)
            _ = munmap(_ringMemory, _ringSize);
        if (_fd >= 0)
            _ = close(_fd);
    }
}

/// <summary>io_uring cannot be used here: not in this kernel, turned off (kernel.io_uring_disabled), or refused by a seccomp filter.</summary>
public sealed class UringUnavailableException(string what, int errno)
    : Exception($"{what} failed: {Describe(errno)}")
{
    public int Errno { get; } = errno;

    private static string Describe(int errno) => errno switch
    {
        1 => "not permitted (EPERM: kernel.io_uring_disabled, or a seccomp filter such as a container's)",
        12 => "out of memory (ENOMEM: locked-memory limit)",
        22 => "invalid argument (EINVAL: this kernel lacks a feature used)",
        38 => "not implemented (ENOSYS: a kernel without io_uring, or a seccomp filter)",
        95 => "not supported by this kernel",
        _ => $"errno {errno}",
    };
}
