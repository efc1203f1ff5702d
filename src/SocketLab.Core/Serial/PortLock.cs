using System.Runtime.InteropServices;

namespace SocketLab.Core.Serial;

/// <summary>
/// An advisory <c>flock(LOCK_EX)</c> on a serial device, as picocom and pyserial's <c>exclusive=True</c> take
/// it: .NET's TIOCEXCL alone does not stop root, so two sessions (or socketlab and picocom) run as root
/// would otherwise share one port and steal each other's bytes. Unix only; elsewhere the OS keeps ports exclusive.
/// </summary>
internal sealed partial class PortLock : IDisposable
{
    private const int ReadOnly = 0, NoCtty = 0x100, NonBlock = 0x800, CloseOnExec = 0x80000;
    private const int LockExclusive = 2, LockNonBlocking = 4;
    private int _fd;

    private PortLock(int fd) => _fd = fd;

    /// <summary>The lock, or null when another process holds one; a device that cannot be opened here gets no lock (the real open reports why).</summary>
    public static PortLock? TryTake(string device, out bool busy)
    {
        busy = false;
        if (!OperatingSystem.IsLinux())
            return new PortLock(-1);
        int fd = Open(device, ReadOnly | NoCtty | NonBlock | CloseOnExec);
        if (fd < 0)
            return new PortLock(-1);
        if (Flock(fd, LockExclusive | LockNonBlocking) == 0)
            return new PortLock(fd);
        Close(fd);
        busy = true;
        return null;
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            Close(fd); // Closing the last descriptor releases the lock.
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock")]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
