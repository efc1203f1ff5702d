using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>
/// Reads and writes on a socket in non-blocking mode (<c>Blocking = false</c>): what the kernel has or takes
/// right now, without .NET's async machinery. Errors other than "would block" throw as usual.
/// </summary>
internal static class NonBlockingSocket
{
    /// <summary>Bytes read, 0 at end of stream, −1 when nothing is waiting.</summary>
    public static int ReceiveNow(this Socket socket, Span<byte> buffer)
    {
        int read = socket.Receive(buffer, SocketFlags.None, out SocketError error);
        return error switch
        {
            SocketError.Success => read,
            SocketError.WouldBlock => -1,
            _ => throw new SocketException((int)error),
        };
    }

    /// <summary>Bytes the kernel took (0 when its send buffer is full).</summary>
    public static int SendNow(this Socket socket, ReadOnlySpan<byte> data)
    {
        int sent = socket.Send(data, SocketFlags.None, out SocketError error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }
}
