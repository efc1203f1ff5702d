using System.Runtime.InteropServices;

namespace SocketLab.Core.Net;

/// <summary>
/// Linux splice(2) and the pipes it moves bytes through: socket → pipe → socket without a copy into user
/// memory (the pipe holds references to the received pages, and MSG_SPLICE_PAGES hands them to the sending
/// socket). What the relay's zero-copy path needs, and no more.
/// </summary>
internal static partial class Splice
{
    private const uint MovePages = 1;      // SPLICE_F_MOVE
    private const uint PipeNonBlock = 2;   // SPLICE_F_NONBLOCK
    private const int PipeNonBlocking = 0x800;   // O_NONBLOCK
    private const int PipeCloseOnExec = 0x80000; // O_CLOEXEC
    private const int GetStatusFlags = 3;        // F_GETFL
    private const int SetStatusFlags = 4;        // F_SETFL
    private const int SetPipeSize = 1031;        // F_SETPIPE_SZ

    /// <summary>errno of a broken connection on the sending side (EPIPE) and of a reset (ECONNRESET).</summary>
    public const int BrokenPipe = 32;
    public const int ConnectionReset = 104;

    /// <summary>Opens a non-blocking pipe and asks for <paramref name="size"/> bytes of room (the kernel may give less).</summary>
    /// <returns>False when no descriptor is left (the caller falls back to copying).</returns>
    public static bool TryOpenPipe(int size, out int readEnd, out int writeEnd)
    {
        Span<int> fds = stackalloc int[2];
        if (pipe2(ref MemoryMarshal.GetReference(fds), PipeNonBlocking | PipeCloseOnExec) != 0)
        {
            readEnd = writeEnd = -1;
            return false;
        }
        readEnd = fds[0];
        writeEnd = fds[1];
        _ = fcntl(writeEnd, SetPipeSize, size); // Beyond a user's pipe quota the default 64 KiB stays: slower, still right.
        return true;
    }

    /// <summary>Puts a descriptor in O_NONBLOCK mode, which splice needs on sockets (SPLICE_F_NONBLOCK covers only the pipe).</summary>
    public static void MakeNonBlocking(nint fd)
    {
        int flags = fcntl((int)fd, GetStatusFlags, 0);
        if (flags < 0 || fcntl((int)fd, SetStatusFlags, flags | PipeNonBlocking) < 0)
            throw new IOException($"fcntl(O_NONBLOCK) failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Moves up to <paramref name="length"/> bytes; returns the count, 0 at end of stream, or −errno.</summary>
    public static long Move(int from, int to, long length)
    {
        while (true)
        {
            nint n = splice(from, 0, to, 0, (nuint)length, MovePages | PipeNonBlock);
            if (n >= 0)
                return n;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LinuxSocketConstants.Interrupted)
                return -errno;
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0)
            _ = close(fd);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(ref int fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint splice(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
