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
                nint done = sending
                    ? send(fd, ref buffer, length, LinuxSocketConstants.MsgDontWait | LinuxSocketConstants.MsgNoSignal)
                    : recv(fd, ref buffer, length, LinuxSocketConstants.MsgDontWait);
                if (done >= 0)
                    return (int)done;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LinuxSocketConstants.WouldBlock)
                    return -1;
                if (errno != LinuxSocketConstants.Interrupted)
                    throw Error(errno);
            }
        }
        finally
        {
            if (referenced)
                handle.DangerousRelease();
        }
    }

    /// <summary>
    /// The errno as .NET's sockets report it: <see cref="SocketException()"/> reads the last P/Invoke error and
    /// maps it with the runtime's own table (ECONNRESET → ConnectionReset, EPIPE → Shutdown, …), keeping the errno.
    /// </summary>
    internal static SocketException Error(int errno)
    {
        Marshal.SetLastPInvokeError(errno);
        return new SocketException();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, ref byte buffer, nint length, int flags);
}
