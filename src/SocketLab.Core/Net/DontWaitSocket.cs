using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SocketLab.Core.Net;

/// <summary>
/// <c>recv</c>/<c>send</c> with <c>MSG_DONTWAIT</c> on a socket .NET still sees as blocking (Linux): the
/// call returns at once whatever the kernel has, and the socket never needs .NET's non-blocking mode, which
/// gives every socket its async state (~220 B) even when no async operation ever runs on it.
/// </summary>
internal static partial class DontWaitSocket
{
    private const int DontWait = 0x40;
    private const int NoSignal = 0x4000;
    private const int WouldBlock = 11;   // EAGAIN = EWOULDBLOCK
    private const int Interrupted = 4;   // EINTR

    /// <summary>Bytes read, 0 at end of stream, −1 when nothing is waiting.</summary>
    public static int ReceiveNow(SafeSocketHandle handle, Span<byte> buffer) =>
        Transfer(handle, ref MemoryMarshal.GetReference(buffer), buffer.Length, sending: false);

    /// <summary>Bytes the kernel took (0 when its send buffer is full).</summary>
    public static int SendNow(SafeSocketHandle handle, ReadOnlySpan<byte> data) =>
        Math.Max(0, Transfer(handle, ref MemoryMarshal.GetReference(data), data.Length, sending: true));

    /// <summary>One recv or send; −1 when it would block. Other errors throw.</summary>
    private static int Transfer(SafeSocketHandle handle, ref byte buffer, int length, bool sending)
    {
        bool referenced = false;
        try
        {
            // The reference keeps another thread's close from freeing (and reusing) the descriptor meanwhile.
            handle.DangerousAddRef(ref referenced);
            int fd = (int)handle.DangerousGetHandle();
            while (true)
            {
                nint done = sending ? send(fd, ref buffer, length, DontWait | NoSignal) : recv(fd, ref buffer, length, DontWait);
                if (done >= 0)
                    return (int)done;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == WouldBlock)
                    return -1;
                if (errno != Interrupted)
                    throw Error(errno);
            }
        }
        finally
        {
            if (referenced)
                handle.DangerousRelease();
        }
    }

    /// <summary>The errno as .NET's sockets would report it (the common cases; others as a generic socket error).</summary>
    private static SocketException Error(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,     // ECONNRESET
        32 => SocketError.Shutdown,             // EPIPE
        103 => SocketError.ConnectionAborted,   // ECONNABORTED
        110 => SocketError.TimedOut,            // ETIMEDOUT
        107 => SocketError.NotConnected,        // ENOTCONN
        113 => SocketError.HostUnreachable,     // EHOSTUNREACH
        101 => SocketError.NetworkUnreachable,  // ENETUNREACH
        105 => SocketError.NoBufferSpaceAvailable, // ENOBUFS
        _ => SocketError.SocketError,
    }));

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, ref byte buffer, nint length, int flags);
}
