using System.Collections.Concurrent;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Closes connections that have been idle too long. One timer scans every watched connection twice a second,
/// so the echo path only stores a timestamp and never resets a timer. A server owns one for all its
/// connections; a connection run on its own (a client) makes its own. Disposing stops the timer.
/// </summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<TcpConnection, byte> _watched = new();
    private readonly Timer _scanner;
    private int _started;

    public IdleWatchdog() => _scanner = new Timer(static state => ((IdleWatchdog)state!).Scan(), this, Timeout.Infinite, Timeout.Infinite);

    public void Watch(TcpConnection connection)
    {
        _watched[connection] = 0;
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            try { _scanner.Change(500, 500); }
            catch (ObjectDisposedException) { }
        }
    }

    public void Forget(TcpConnection connection) => _watched.TryRemove(connection, out _);

    private void Scan()
    {
        long now = Environment.TickCount64;
        foreach (TcpConnection c in _watched.Keys)
        {
            if (now - c.LastActivityTicks > (long)c.IdleTimeout.TotalMilliseconds)
            {
                Forget(c);
                c.CloseIdle();
            }
        }
    }

    public void Dispose() => _scanner.Dispose();
}
