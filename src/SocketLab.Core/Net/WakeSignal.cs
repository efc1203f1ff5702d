using System.Runtime.InteropServices;

namespace SocketLab.Core.Net;

/// <summary>
/// A Linux eventfd: another thread's way to wake a loop sleeping in <see cref="Epoll.Wait"/>.
/// Signals that arrive before the loop reads them collapse into one wake-up.
/// </summary>
internal sealed partial class WakeSignal : IDisposable
{
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    private int _disposed;

    public WakeSignal()
    {
        Handle = eventfd(0, NonBlocking | CloseOnExec);
        if (Handle < 0)
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>The descriptor to watch for <see cref="Epoll.In"/>.</summary>
    public int Handle { get; }

    public void Set()
    {
        ulong one = 1;
        _ = write(Handle, ref one, sizeof(ulong));
    }

    /// <summary>Clears the signal (the loop calls this when woken).</summary>
    public void Reset()
    {
        ulong count = 0;
        _ = read(Handle, ref count, sizeof(ulong));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _ = close(Handle);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, ref ulong value, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, ref ulong value, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
