using System.Runtime.InteropServices;

namespace SocketLab.Core.Net;

/// <summary>
/// A Linux epoll instance, level-triggered, for a single thread that serves many sockets itself
/// (the bench's load generator, the server's epoll engine). Only what those loops need: add, change, remove, wait.
/// </summary>
internal sealed partial class Epoll : IDisposable
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint PeerHalfClosed = 0x2000;       // EPOLLRDHUP
    public const uint EdgeTriggered = 0x80000000;    // EPOLLET

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const int CtlMod = 3;
    private const int CloseOnExec = 0x80000;

    private readonly int _fd;
    private readonly byte[] _events;
    private int _disposed;

    /// <summary>epoll exists here, and this is an architecture whose <c>epoll_event</c> layout is known.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    // struct epoll_event { uint32_t events; uint64_t data; } is packed (12 bytes) on x86-64 only.
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    public Epoll(int maxEvents)
    {
        if (!IsSupported)
            throw new PlatformNotSupportedException("epoll needs Linux on x64 or arm64");
        _fd = epoll_create1(CloseOnExec);
        if (_fd < 0)
            throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
        _events = new byte[maxEvents * EventSize];
    }

    public void Add(nint socket, uint events, ulong data) => Control(CtlAdd, socket, events, data);

    /// <summary>Like <see cref="Add"/>, returning false instead of throwing (e.g. the socket was closed meanwhile).</summary>
    public bool TryAdd(nint socket, uint events, ulong data) => TryControl(CtlAdd, socket, events, data);

    public bool TryChange(nint socket, uint events, ulong data) => TryControl(CtlMod, socket, events, data);

    public void Change(nint socket, uint events, ulong data) => Control(CtlMod, socket, events, data);

    /// <summary>Stops watching; a socket already closed is no longer watched anyway.</summary>
    public void Remove(nint socket)
    {
        Span<byte> ev = stackalloc byte[16];
        _ = epoll_ctl(_fd, CtlDel, (int)socket, ref MemoryMarshal.GetReference(ev));
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for ready sockets; returns how many (0 on timeout or signal).</summary>
    public int Wait(int timeoutMs)
    {
        int n = epoll_wait(_fd, ref MemoryMarshal.GetArrayDataReference(_events), _events.Length / EventSize, timeoutMs);
        if (n >= 0)
            return n;
        int errno = Marshal.GetLastPInvokeError();
        return errno == LinuxSocketConstants.Interrupted ? 0 : throw new IOException($"epoll_wait failed (errno {errno})"); // EINTR: just wait again.
    }

    /// <summary>
    /// Like <see cref="Wait"/> with a timeout in microseconds (epoll_pwait2, Linux 5.11): an open-loop bench
    /// wakes for a message's intended time, where a millisecond's rounding would add to every latency.
    /// </summary>
    public int WaitMicros(long timeoutMicros)
    {
        if (!_pwait2Missing)
        {
            Span<long> timespec = [timeoutMicros / 1_000_000, timeoutMicros % 1_000_000 * 1000];
            try
            {
                int n = epoll_pwait2(_fd, ref MemoryMarshal.GetArrayDataReference(_events), _events.Length / EventSize, ref MemoryMarshal.GetReference(timespec), 0);
                if (n >= 0)
                    return n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == 4)
                    return 0;
                if (errno != 38) // ENOSYS: an older kernel; fall back below.
                    throw new IOException($"epoll_pwait2 failed (errno {errno})");
            }
            catch (EntryPointNotFoundException)
            {
                // A C library without epoll_pwait2.
            }
            _pwait2Missing = true;
        }
        return Wait((int)Math.Min(int.MaxValue, (timeoutMicros + 999) / 1000));
    }

    private static bool _pwait2Missing;

    public uint EventsAt(int i) => BitConverter.ToUInt32(_events, i * EventSize);

    public ulong DataAt(int i) => BitConverter.ToUInt64(_events, i * EventSize + DataOffset);

    private void Control(int op, nint socket, uint events, ulong data)
    {
        if (!TryControl(op, socket, events, data))
            throw new IOException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()})");
    }

    private bool TryControl(int op, nint socket, uint events, ulong data)
    {
        Span<byte> ev = stackalloc byte[16];
        BitConverter.TryWriteBytes(ev, events);
        BitConverter.TryWriteBytes(ev[DataOffset..], data);
        return epoll_ctl(_fd, op, (int)socket, ref MemoryMarshal.GetReference(ev)) == 0;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _ = close(_fd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, ref byte @event);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, ref byte events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_pwait2(int epfd, ref byte events, int maxEvents, ref long timeout, nint sigmask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
