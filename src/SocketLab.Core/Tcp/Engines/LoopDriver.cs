namespace SocketLab.Core.Tcp;

/// <summary>
/// What the drivers of SocketLab's own loops (<see cref="EpollDriver"/>, <see cref="UringDriver"/>) share: reporting
/// the connection before the loop takes it, the close protocol once the loop lets it go, and <see cref="Running"/>.
/// </summary>
internal abstract class LoopDriver(TcpConnection connection, LoopInbox inbox, Action<TcpConnection> finished) : IConnectionDriver
{
    protected readonly TcpConnection _c = connection;
    private TaskCompletionSource? _done;  // Made only when someone waits (a server stopping): 88 B less per connection.
    private int _finishedFlag;

    // The loop's bookkeeping for this connection (LoopSlots): its slot, and the slot's generation when it got it.
    internal int Slot = -1;
    internal uint Generation;

    /// <summary>Reports the connection, then hands it to the loop. On the accepting thread.</summary>
    public void Start()
    {
        if (ReportConnected())
            Post(LoopRequest.Start);
    }

    /// <summary>Any thread: the loop's thread decides (an echo in progress finishes first).</summary>
    public void CloseRequested()
    {
        if (!Ended)
            Post(LoopRequest.Close);
    }

    /// <summary>Asks the loop's thread for <paramref name="request"/> (<see cref="OnRequest"/>). Any thread.</summary>
    protected void Post(LoopRequest request) => inbox.Post(this, request);

    /// <summary>On the loop's thread: what another thread posted to the loop's <see cref="LoopInbox"/> for this connection.</summary>
    internal abstract void OnRequest(LoopRequest request);

    /// <summary>The loop no longer serves the connection.</summary>
    protected abstract bool Ended { get; }

    /// <summary>The loop no longer serves the connection (set before the close protocol starts).</summary>
    protected abstract void MarkEnded();

    /// <summary>
    /// On the accepting thread: starts the idle watch and tells the observer. False when the observer threw: the
    /// connection has then ended and its close begun, and the loop must not take it.
    /// </summary>
    protected bool ReportConnected()
    {
        _c.WatchIdle();
        try
        {
            _c.Observer.OnConnected(_c);
            return true;
        }
        catch (Exception ex)
        {
            MarkEnded();
            _ = FinishAsync(CloseReason.Reset, ex.Message);
            return false;
        }
    }

    /// <summary>Completes when the connection has closed and been reported.</summary>
    public Task Running
    {
        get
        {
            if (Volatile.Read(ref _done) is { } existing)
                return existing.Task;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskCompletionSource winner = Interlocked.CompareExchange(ref _done, done, null) ?? done;
            if (Volatile.Read(ref _finishedFlag) != 0)
                winner.TrySetResult();
            return winner.Task;
        }
    }

    /// <summary>The close protocol (drain, FIN, linger) off the loop, then the report and the server's bookkeeping.</summary>
    protected async Task FinishAsync(CloseReason reason, string? detail)
    {
        try
        {
            _c.ForgetIdle();
            await _c.FinishAsync(reason).ConfigureAwait(false);
            _c.Complete(reason, detail);
        }
        catch (Exception ex)
        {
            _c.Complete(CloseReason.Reset, ex.Message);
        }
        finally
        {
            finished(_c);
            Interlocked.Exchange(ref _finishedFlag, 1);
            Volatile.Read(ref _done)?.TrySetResult();
        }
    }
}
