using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SocketLab.Core.Net;

/// <summary>
/// A Linux eventfd: another thread's way to wake a loop sleeping in <see cref="Epoll.Wait"/>.
/// Signals that arrive before the loop reads them collapse into one wake-up.
/// </summary>
internal sealed partial class WakeSignal : IDisposable
{
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    // Held as a SafeHandle so that a Set racing with Dispose never writes to a descriptor number reused meanwhile.
    private readonly SafeFileHandle _handle;

    public WakeSignal()
    {
        Handle = eventfd(0, NonBlocking | CloseOnExec);
        if (Handle < 0)
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        _handle = new SafeFileHandle(Handle, ownsHandle: true);
    }

    /// <summary>The descriptor to watch for <see cref="Epoll.In"/>.</summary>
    public int Handle { get; }

    /// <summary>Wakes the loop; does nothing once disposed.</summary>
    public void Set()
    {
        bool referenced = false;
        try
        {
            _handle.DangerousAddRef(ref referenced);
            ulong one = 1;
            _ = write(Handle, ref one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (referenced)
                _handle.DangerousRelease();
        }
    }

    /// <summary>Clears the signal (the loop calls this when woken).</summary>
    public void Reset()
    {
        ulong count = 0;
        _ = read(Handle, ref count, sizeof(ulong));
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, ref ulong value, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, ref ulong value, nint count);
}
