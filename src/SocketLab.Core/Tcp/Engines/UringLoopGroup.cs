namespace SocketLab.Core.Tcp;

/// <summary>
/// The threads of the io_uring engine, one ring each (one per core by default); a <see cref="TcpServer"/> on this
/// engine makes its own group and disposes it with itself.
/// </summary>
internal sealed class UringLoopGroup : IDisposable
{
    private readonly UringServerLoop[] _loops;
    private int _next;
    private int _disposed;

    public UringLoopGroup(int loops = 0, TimeSpan busyPoll = default, bool multishot = true, bool capRefused = false)
    {
        int count = loops > 0 ? loops : Math.Clamp(Environment.ProcessorCount, 1, 64);
        _loops = new UringServerLoop[count];
        for (int i = 0; i < count; i++)
            _loops[i] = new UringServerLoop($"socketlab-uring-{i}", busyPoll, multishot, capRefused);
    }

    public UringServerLoop Next()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];
    }

    /// <summary>Receive buffers the loops' connections hold (for tests: a peer must not be able to hold many).</summary>
    public int BuffersHeld => _loops.Sum(l => l.BuffersHeld);

    /// <summary>How many loops receive with multishot receives (the others fell back to single receives).</summary>
    public int MultishotLoops => _loops.Count(l => l.Multishot);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (UringServerLoop loop in _loops)
            loop.Stop();
    }
}
