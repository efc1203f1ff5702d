using System.Runtime.InteropServices;

namespace SocketLab.Cli;

/// <summary>
/// Ctrl+C and SIGTERM: the first asks for a graceful stop (the token is cancelled);
/// a second one while stopping exits at once with 130.
/// </summary>
public sealed class Termination : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;
    private long _firstSignalAt;

    public Termination()
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            try { _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal)); }
            catch (PlatformNotSupportedException) { }
        }
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Completes when Ctrl+C or SIGTERM asks for a stop.</summary>
    public async Task WaitAsync()
    {
        try { await Task.Delay(Timeout.Infinite, _cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        long now = Environment.TickCount64;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _firstSignalAt = now;
            _cts.Cancel();
            return;
        }
        // `timeout` and some supervisors deliver one stop twice (to the process and to its group):
        // only a second signal a moment later is a person pressing Ctrl+C again.
        if (now - _firstSignalAt < 300)
            return;
        Console.Error.WriteLine("socketlab: forced stop");
        Environment.Exit(ExitCodes.Interrupted);
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration r in _registrations)
            r.Dispose();
        _cts.Dispose();
    }
}
