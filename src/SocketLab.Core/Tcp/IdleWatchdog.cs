using System.Collections.Concurrent;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Closes connections that have been idle too long. One timer scans every watched connection
/// twice a second, so the echo path only stores a timestamp and never resets a timer.
/// </summary>
internal static class IdleWatchdog
{
    private static readonly ConcurrentDictionary<TcpConnection, byte> Watched = new();
    private static readonly Timer Scanner = new(_ => Scan(), null, Timeout.Infinite, Timeout.Infinite);
    private static int _started;

    public static void Watch(TcpConnection connection)
    {
        Watched[connection] = 0;
        if (Interlocked.Exchange(ref _started, 1) == 0)
            Scanner.Change(500, 500);
    }

    public static void Forget(TcpConnection connection) => Watched.TryRemove(connection, out _);

    private static void Scan()
    {
        long now = Environment.TickCount64;
        foreach (TcpConnection c in Watched.Keys)
        {
            if (now - c.LastActivityTicks > (long)c.IdleTimeout.TotalMilliseconds)
            {
                Forget(c);
                c.CloseIdle();
            }
        }
    }
}
