using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

// The smallest echo server on raw epoll: what a server-side epoll loop would cost per message, as a floor
// to compare SocketLab's server and Go's against. Usage: dotnet run -c Release -- PORT
int port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 7105;
using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(4096);

int epoll = Native.epoll_create1(0);
var sockets = new Dictionary<int, Socket>();
Native.Watch(epoll, (int)listener.Handle, ulong.MaxValue);
var events = new Native.EpollEvent[1024];
var buffer = new byte[32 * 1024];
while (true)
{
    int ready = Native.Wait(epoll, events);
    for (int e = 0; e < ready; e++)
    {
        ulong data = events[e].Data;
        if (data == ulong.MaxValue)
        {
            // Sync accept on a non-blocking listener: the sockets never touch .NET's async engine.
            while (TryAccept(listener) is { } accepted)
            {
                accepted.Blocking = false;
                accepted.NoDelay = true;
                sockets[(int)accepted.Handle] = accepted;
                Native.Watch(epoll, (int)accepted.Handle, (ulong)accepted.Handle);
            }
            continue;
        }
        Socket s = sockets[(int)data];
        int read = s.Receive(buffer, 0, buffer.Length, SocketFlags.None, out SocketError error);
        if (error == SocketError.WouldBlock)
            continue;
        if (error != SocketError.Success || read == 0)
        {
            sockets.Remove((int)data);
            s.Dispose();
            continue;
        }
        // A full send buffer spins here: fine for a closed-loop benchmark, not for a real server.
        for (int sent = 0; sent < read;)
        {
            int n = s.Send(buffer, sent, read - sent, SocketFlags.None, out error);
            if (error == SocketError.WouldBlock)
                continue;
            if (error != SocketError.Success)
                break;
            sent += n;
        }
    }
}

static Socket? TryAccept(Socket listener)
{
    try { return listener.Accept(); }
    catch (SocketException) { return null; }
}

internal static unsafe class Native
{
    [StructLayout(LayoutKind.Sequential, Pack = 1)] // x86-64 layout
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    public static void Watch(int epoll, int fd, ulong data)
    {
        var ev = new EpollEvent { Events = 1, Data = data }; // EPOLLIN, level-triggered
        if (epoll_ctl(epoll, 1, fd, ref ev) != 0)
            throw new IOException("epoll_ctl failed");
    }

    public static int Wait(int epoll, EpollEvent[] events)
    {
        fixed (EpollEvent* p = events)
            return Math.Max(0, epoll_wait(epoll, p, events.Length, -1));
    }

    [DllImport("libc", SetLastError = true)] public static extern int epoll_create1(int flags);
    [DllImport("libc", SetLastError = true)] private static extern int epoll_ctl(int epfd, int op, int fd, ref EpollEvent ev);
    [DllImport("libc", SetLastError = true)] private static extern int epoll_wait(int epfd, EpollEvent* events, int maxevents, int timeout);
}
