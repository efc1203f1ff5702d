using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bench;

/// <summary>
/// The bench's load on Linux: one thread, one level-triggered epoll set, and plain non-blocking
/// <c>recv</c>/<c>send</c> for every connection — what wrk or rust_echo_bench's mio loop do. Per echoed
/// message that is one read and one write plus a share of one <c>epoll_wait</c>; .NET's async sockets
/// add a read that finds nothing and their own dispatch, which made the generator as costly per
/// message as the servers it measured.
/// </summary>
internal sealed class EpollBenchLoop
{
    /// <summary>How often the loop looks at the run's state when no socket is ready.</summary>
    private const int TickMs = 20;

    private readonly BenchRun _run;
    private readonly EpollBenchConnection[] _connections;

    public EpollBenchLoop(BenchRun run, IReadOnlyList<Socket> sockets, int bufferSize)
    {
        _run = run;
        _connections = sockets.Select((s, i) => new EpollBenchConnection(i, s, run, bufferSize)).ToArray();
    }

    /// <summary>Plain TCP on Linux (x64/arm64); TLS needs streams, so it runs on the async loop.</summary>
    public static bool CanRun(BenchOptions options) => options.Tls is null && !options.Udp && Epoll.IsSupported;

    public IBenchLoad[] Connections => _connections;

    /// <summary>Starts the loop's thread; returns one task per connection, done when it has finished.</summary>
    public Task[] Start()
    {
        Task[] done = _connections.Select(c => c.RunAsync()).ToArray();
        new Thread(Run) { IsBackground = true, Name = "socketlab bench loop" }.Start();
        return done;
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            foreach (EpollBenchConnection c in _connections)
                c.Fail(ex);
        }
    }

    private void Loop()
    {
        using var epoll = new Epoll(Math.Clamp(_connections.Length, 16, 1024));
        var handles = new nint[_connections.Length];
        var watchingWrites = new bool[_connections.Length];
        for (int i = 0; i < _connections.Length; i++)
        {
            handles[i] = _connections[i].Socket.Handle;
            epoll.Add(handles[i], Epoll.In, (ulong)i);
        }
        for (int i = 0; i < _connections.Length; i++)
        {
            _connections[i].Begin();
            Watch(epoll, i, handles, watchingWrites);
        }

        DueQueue? due = _run.Schedule is null ? null : new DueQueue(_connections.Length);
        if (due is not null)
        {
            for (int i = 0; i < _connections.Length; i++)
                due.Add(i, _connections[i].NextDue);
        }
        int open = _connections.Count(c => !c.IsDone);
        while (open > 0)
        {
            int ready = due is null ? epoll.Wait(TickMs) : epoll.WaitMicros(OpenLoop.MicrosUntil(due.Earliest, TickMs));
            for (int e = 0; e < ready; e++)
            {
                int i = (int)epoll.DataAt(e);
                EpollBenchConnection c = _connections[i];
                uint events = epoll.EventsAt(e);
                if ((events & Epoll.Out) != 0)
                    c.OnWritable();
                if ((events & (Epoll.In | Epoll.Error | Epoll.HangUp)) != 0)
                    c.OnReadable();
                if (Watch(epoll, i, handles, watchingWrites))
                    open--;
                due?.Add(i, c.NextDue);
            }
            if (due is not null)
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                while (due.TryTakeDue(now, out int i))
                {
                    _connections[i].OnDue(now);
                    if (Watch(epoll, i, handles, watchingWrites))
                        open--;
                    due.Add(i, _connections[i].NextDue);
                }
            }

            if (_run.Aborted)
            {
                // The drain time is over and the sockets are being closed: what is left failed.
                foreach (EpollBenchConnection c in _connections)
                    c.Fail(new TimeoutException());
                return;
            }
            if (_run.Stopping)
            {
                // Connections with nothing in flight at the stop get no more events: look at each.
                for (int i = 0; i < _connections.Length; i++)
                {
                    if (_connections[i].IsDone)
                        continue;
                    _connections[i].CheckFinished();
                    if (Watch(epoll, i, handles, watchingWrites))
                        open--;
                }
            }
        }
    }

    /// <summary>
    /// Matches what epoll watches to what the connection needs; returns true when it has just finished
    /// (then it is no longer watched: a level-triggered hang-up would otherwise wake the loop forever).
    /// </summary>
    private bool Watch(Epoll epoll, int i, nint[] handles, bool[] watchingWrites)
    {
        EpollBenchConnection c = _connections[i];
        if (c.IsDone)
        {
            if (handles[i] == 0)
                return false;
            epoll.Remove(handles[i]);
            handles[i] = 0;
            return true;
        }
        if (c.WantsWrite != watchingWrites[i])
        {
            watchingWrites[i] = c.WantsWrite;
            epoll.Change(handles[i], Epoll.In | (c.WantsWrite ? Epoll.Out : 0), (ulong)i);
        }
        return false;
    }
}
