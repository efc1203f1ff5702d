namespace SocketLab.Core.Bench;

/// <summary>
/// How one connection of an own-loop engine (epoll, uring) ends: done once the run stops and every sent byte
/// came back, or failed (counted in the run once). <see cref="Task"/> completes then and never faults.
/// </summary>
internal sealed class ConnectionEnd(BenchRun run, EchoTally tally)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _done.Task;

    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>After the stop: done once everything committed (<paramref name="committed"/> bytes) has come back.</summary>
    public void CheckFinished(long committed)
    {
        if (run.Stopping && tally.Received >= committed && !IsDone)
            _done.TrySetResult();
    }

    /// <summary>Ends the connection with a failure: a mismatch stops the whole run, anything else is one error.</summary>
    public void Fail(Exception ex)
    {
        if (IsDone)
            return;
        if (ex is EchoMismatchException mismatch)
            run.ReportMismatch(mismatch.Mismatch);
        else
            run.ReportError(tally.Describe(ex));
        _done.TrySetResult();
    }
}
