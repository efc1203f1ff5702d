using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// One thread of the server's epoll engine (Linux, plain TCP), owned by an <see cref="EpollLoopGroup"/>: a
/// level-triggered epoll set, reading with non-blocking <c>recv</c> into one buffer shared by all its connections
/// and echoing with <c>send</c> right there. Per message that is a read and a write plus a share of one
/// <c>epoll_wait</c>; .NET's engine adds a read that finds nothing and its own dispatch. An idle connection holds
/// no buffer, no task and no .NET async socket state.
/// Only the loop's thread changes which connections it serves and what it watches for them; other
/// threads queue a request (<see cref="Inbox"/>) and wake it.
/// </summary>
internal sealed class EpollServerLoop
{
    private const ulong WakeData = ulong.MaxValue;

    private readonly Epoll _epoll = new(256);
    private readonly LoopInbox _inbox = new();
    private readonly long _busyPollTicks;
    private readonly Thread _thread;
    private readonly LoopSlots<EpollDriver> _slots = new();
    private byte[] _buffer = new byte[TcpConnectionOptions.DefaultReceiveBufferSize];

    public EpollServerLoop(string name, TimeSpan busyPoll)
    {
        _busyPollTicks = (long)(busyPoll.TotalSeconds * Stopwatch.Frequency);
        _epoll.Add(_inbox.WakeHandle, Epoll.In, WakeData);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether this machine can run the engine (Linux on x64 or arm64).</summary>
    public static bool IsSupported => Epoll.IsSupported;

    /// <summary>
    /// Ends the loop's thread and closes its descriptors (waits for the thread). Connections still on it are
    /// not served any more: their owner closes them first.
    /// </summary>
    public void Stop()
    {
        _inbox.Stop();
        if (Thread.CurrentThread != _thread)
            _thread.Join();
        _inbox.Dispose();
        _epoll.Dispose();
    }

    /// <summary>Where other threads post requests for this loop's connections.</summary>
    public LoopInbox Inbox => _inbox;

    /// <summary>The loop's read buffer, at least <paramref name="size"/> bytes. Loop thread only; valid until the next read.</summary>
    public Span<byte> ReadBuffer(int size)
    {
        if (_buffer.Length < size)
            _buffer = new byte[size];
        return _buffer.AsSpan(0, size);
    }

    /// <summary>Starts serving <paramref name="c"/>: watched for reading. False when its socket is already gone.</summary>
    public bool Add(EpollDriver c)
    {
        _slots.Add(c);
        if (Watch(c, Epoll.In))
            return true;
        _slots.Free(c);
        return false;
    }

    /// <summary>Stops serving <paramref name="c"/>.</summary>
    public void Remove(EpollDriver c)
    {
        Watch(c, 0);
        _slots.Free(c);
    }

    /// <summary>
    /// Watches <paramref name="c"/> for these events only, or not at all for 0 (a level-triggered hang-up would
    /// otherwise still be reported): adds, changes or removes it as needed. False when its socket is gone.
    /// The epoll_ctl runs holding a reference on the socket's handle: a socket closed by another thread at the
    /// same moment cannot have its descriptor number reused underneath (which would change another socket's watch).
    /// </summary>
    public bool Watch(EpollDriver c, uint events)
    {
        if (events == 0 && !c.PollWatched)
            return true;
        SafeSocketHandle handle = c.PollHandle;
        bool referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
            nint fd = handle.DangerousGetHandle();
            ulong data = (uint)c.Slot | ((ulong)c.Generation << 32);
            bool ok = true;
            if (events == 0)
                _epoll.Remove(fd);
            else
                ok = c.PollWatched ? _epoll.TryChange(fd, events, data) : _epoll.TryAdd(fd, events, data);
            c.PollWatched = ok && events != 0;
            return ok;
        }
        catch (ObjectDisposedException)
        {
            c.PollWatched = false; // Closed: the kernel has already dropped it from the set.
            return false;
        }
        finally
        {
            if (referenced)
                handle.DangerousRelease();
        }
    }

    private void Run()
    {
        long pollUntil = 0;
        long busyPoll = _busyPollTicks;
        while (!_inbox.Stopping)
        {
            int ready = busyPoll > 0 && Stopwatch.GetTimestamp() < pollUntil ? _epoll.Wait(0) : _epoll.Wait(-1);
            if (ready > 0 && busyPoll > 0)
                pollUntil = Stopwatch.GetTimestamp() + busyPoll;
            bool woken = false;
            for (int e = 0; e < ready; e++)
            {
                ulong data = _epoll.DataAt(e);
                if (data == WakeData)
                {
                    woken = true; // The queue is looked at below.
                    continue;
                }
                // A stale event for a connection that left (and maybe a slot since reused) is dropped.
                _slots.Find((int)(uint)data, (uint)(data >> 32))?.OnPolled();
            }
            _inbox.Deliver(woken);
        }
        // Stopped: connections still here are reset and reported (their owner normally closed them all before).
        foreach (EpollDriver c in _slots.All().ToList())
            c.Abandon();
    }
}
