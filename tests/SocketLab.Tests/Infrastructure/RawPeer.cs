using System.Net;
using System.Net.Sockets;

namespace SocketLab.Tests.Infrastructure;

/// <summary>Plain sockets on loopback, playing the other end of a test.</summary>
public static class RawPeer
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Socket Listen(int backlog = 16)
    {
        var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(backlog);
        return l;
    }

    public static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    public static int FreePort()
    {
        using Socket l = Listen();
        return PortOf(l);
    }

    public static async Task<Socket> ConnectAsync(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Limit);
        return s;
    }

    public static async Task<byte[]> ReadExactlyAsync(Socket s, int count)
    {
        byte[] buffer = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(Limit);
            if (n == 0)
                throw new EndOfStreamException($"peer closed after {got} of {count} bytes");
            got += n;
        }
        return buffer;
    }

    public static async Task<byte[]> ReadToEndAsync(Socket s)
    {
        using var ms = new MemoryStream();
        byte[] buffer = new byte[65536];
        while (true)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit);
            if (n == 0)
                return ms.ToArray();
            ms.Write(buffer, 0, n);
        }
    }
}
