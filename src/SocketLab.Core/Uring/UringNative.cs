using System.Runtime.InteropServices;

namespace SocketLab.Core.Uring;

/// <summary>
/// The kernel's io_uring ABI (include/uapi/linux/io_uring.h), called directly: the three system calls,
/// mmap for the rings, and the structure offsets and constants the engines use. The structures are part of
/// the kernel's stable ABI; their layouts are the same on x86-64 and arm64.
/// </summary>
internal static unsafe partial class UringNative
{
    // The same numbers on x86-64 and arm64 (the unified syscall table, Linux 5.1).
    public const long SysSetup = 425;
    public const long SysEnter = 426;
    public const long SysRegister = 427;

    // io_uring_setup flags.
    public const uint SetupCqSize = 1u << 3;
    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupCoopTaskrun = 1u << 8;
    public const uint SetupSingleIssuer = 1u << 12;
    public const uint SetupDeferTaskrun = 1u << 13;

    // io_uring_params.features
    public const uint FeatSingleMmap = 1u << 0;
    public const uint FeatExtArg = 1u << 8;

    // io_uring_enter flags.
    public const uint EnterGetEvents = 1u << 0;
    public const uint EnterExtArg = 1u << 3;

    // io_uring_register opcodes.
    public const uint RegisterFiles = 2;
    public const uint RegisterProbe = 8;
    public const uint RegisterPbufRing = 22;
    public const uint UnregisterPbufRing = 23;

    // Opcodes.
    public const byte OpNop = 0;
    public const byte OpPollAdd = 6;
    public const byte OpAsyncCancel = 14;
    public const byte OpSend = 26;
    public const byte OpRecv = 27;

    // sqe.flags
    public const byte SqeFixedFile = 1 << 0;
    public const byte SqeBufferSelect = 1 << 5;

    // sqe.ioprio for recv
    public const ushort RecvMultishot = 1 << 1;

    // send/recv msg_flags (sqe.op_flags).
    public const uint MsgWaitAll = 0x100;       // a send completes with every byte or fails (the kernel retries a short one)
    public const uint MsgNoSignal = 0x4000;

    // sqe.len for POLL_ADD: keep the poll armed (one completion per wake-up).
    public const uint PollAddMulti = 1;
    public const uint PollIn = 0x1;

    // cqe.flags
    public const uint CqeBuffer = 1u << 0;
    public const uint CqeMore = 1u << 1;
    public const int CqeBufferShift = 16;

    // mmap offsets.
    public const long OffSqRing = 0;
    public const long OffSqes = 0x10000000;

    public const int SqeSize = 64;
    public const int CqeSize = 16;
    public const int ParamsSize = 120;

    /// <summary>struct io_uring_params, 120 bytes; the offsets the ring needs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Params
    {
        public uint SqEntries, CqEntries, Flags, SqThreadCpu, SqThreadIdle, Features, WqFd;
        public uint Resv0, Resv1, Resv2;
        public SqOffsets SqOff;
        public CqOffsets CqOff;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SqOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1;
        public ulong UserAddr;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CqOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Resv1;
        public ulong UserAddr;
    }

    /// <summary>struct io_uring_sqe, 64 bytes (only the fields the engines fill are named).</summary>
    [StructLayout(LayoutKind.Explicit, Size = SqeSize)]
    public struct Sqe
    {
        [FieldOffset(0)] public byte Opcode;
        [FieldOffset(1)] public byte Flags;
        [FieldOffset(2)] public ushort IoPrio;
        [FieldOffset(4)] public int Fd;
        [FieldOffset(8)] public ulong Off;
        [FieldOffset(16)] public ulong Addr;
        [FieldOffset(24)] public uint Len;
        [FieldOffset(28)] public uint OpFlags;
        [FieldOffset(32)] public ulong UserData;
        [FieldOffset(40)] public ushort BufGroup;
        [FieldOffset(42)] public ushort Personality;
        [FieldOffset(44)] public int SpliceFdIn;
        [FieldOffset(44)] public uint OptLen;     // shares SpliceFdIn's place: a multishot receive's byte cap (Linux 6.17)
        [FieldOffset(48)] public ulong Addr3;
        [FieldOffset(56)] public ulong Pad2;
    }

    /// <summary>struct io_uring_cqe, 16 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Cqe
    {
        public ulong UserData;
        public int Res;
        public uint Flags;
    }

    /// <summary>struct io_uring_getevents_arg, for IORING_ENTER_EXT_ARG (a wait with a timeout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GetEventsArg
    {
        public ulong SigMask;
        public uint SigMaskSize;
        public uint MinWaitUsec;
        public ulong Ts;
    }

    /// <summary>struct __kernel_timespec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct KernelTimespec
    {
        public long Sec;
        public long Nsec;
    }

    /// <summary>struct io_uring_buf_reg, 40 bytes: registers a provided-buffer ring.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct BufReg
    {
        public ulong RingAddr;
        public uint RingEntries;
        public ushort Bgid;
        public ushort Flags;
        public ulong Resv0, Resv1, Resv2;
    }

    public static int Setup(uint entries, Params* p) => (int)syscall(SysSetup, (nint)entries, (nint)p, 0, 0, 0, 0);

    public static int Enter(int fd, uint toSubmit, uint minComplete, uint flags, void* arg, nint argSize) =>
        (int)syscall(SysEnter, fd, (nint)toSubmit, (nint)minComplete, (nint)flags, (nint)arg, argSize);

    public static int Register(int fd, uint opcode, void* arg, uint count) => (int)syscall(SysRegister, fd, (nint)opcode, (nint)arg, (nint)count, 0, 0);

    // syscall(2) is variadic in C; with integer arguments only, the fixed-argument call is the same on x86-64 and arm64.
    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);

    public const int ProtReadWrite = 0x1 | 0x2;
    public const int MapShared = 0x01;
    public const int MapPrivate = 0x02;
    public const int MapAnonymous = 0x20;
    public const int MapPopulate = 0x8000;
    public static readonly nint MapFailed = -1;

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);
}
