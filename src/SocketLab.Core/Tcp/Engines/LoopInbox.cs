using System.Collections.Concurrent;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// How other threads ask something of a loop thread (<see cref="EpollServerLoop"/>, <see cref="UringServerLoop"/>):
/// a queue of requests, the wake signal the loop waits on, a flag so a burst of posts costs one wake-up, and the
/// stop. Requests come per connection event (start, close, send-lock hand-off, probe timeout), never per message.
/// </summary>
internal sealed class LoopInbox : IDisposable
{
    private readonly WakeSignal _wake = new();
    private readonly ConcurrentQueue<(LoopDriver Connection, LoopRequest Request)> _requests = new();
    private int _wakePending;
    private volatile bool _stopping;

    /// <summary>The eventfd the loop waits on (readable when a request or the stop is waiting).</summary>
    public int WakeHandle => _wake.Handle;

    /// <summary>Set by <see cref="Stop"/>: the loop ends its turn and leaves.</summary>
    public bool Stopping => _stopping;

    /// <summary>Queues a request for the loop's thread. Callable from any thread; ignored once the loop stopped.</summary>
    public void Post(LoopDriver connection, LoopRequest request)
    {
        if (_stopping)
            return;
        _requests.Enqueue((connection, request));
        // One write per sleep: later posts see the flag until the loop has taken the queue.
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
            _wake.Set();
    }

    /// <summary>Tells the loop to stop and wakes it.</summary>
    public void Stop()
    {
        _stopping = true;
        _wake.Set();
    }

    /// <summary>
    /// On the loop's thread after a wait: hands the queued requests to their connections when the wake signal fired
    /// (<paramref name="woken"/>) or a post is pending.
    /// </summary>
    public void Deliver(bool woken)
    {
        // Also when woken with the flag already clear (a signal that arrived after the last drain): an eventfd left
        // readable would wake a level-triggered loop again and again.
        if (!woken && Volatile.Read(ref _wakePending) == 0)
            return;
        // Clear the signal before the flag: a poster that sees the flag clear signals again, and that signal must not
        // be eaten here (the loop would then sleep with requests queued behind a set flag).
        _wake.Reset();
        Interlocked.Exchange(ref _wakePending, 0);
        while (_requests.TryDequeue(out var request))
            request.Connection.OnRequest(request.Request);
    }

    public void Dispose() => _wake.Dispose();
}

/// <summary>What another thread asks of a connection's loop.</summary>
internal enum LoopRequest
{
    /// <summary>Start serving the connection.</summary>
    Start,

    /// <summary>Stop reading and close (Close, Abort, idle timeout).</summary>
    Close,

    /// <summary>An echo waiting behind another sender now holds the send lock.</summary>
    SendLockTaken,

    /// <summary>The echo loop guard's probe ran out of time with nothing more from the peer: a loop.</summary>
    ProbeTimeout,
}
