namespace SocketLab.Core.Tcp;

/// <summary>
/// The threads of the epoll engine: one <see cref="EpollServerLoop"/> per core by default, each serving the
/// connections handed to it in turn. A <see cref="TcpServer"/> on the epoll engine makes its own group and
/// disposes it when it is disposed; servers can also share one group that their owner makes and disposes
/// (as Kestrel's transport owns its IO queues). After <see cref="Dispose"/> none of its threads is running.
/// Linux on x64 or arm64 only (<see cref="IsSupported"/>).
/// </summary>
public sealed class EpollLoopGroup : IDisposable
{
    private readonly EpollServerLoop[] _loops;
    private int _next;
    private int _disposed;

    /// <param name="loops">Threads; 0 means one per core this process may run on.</param>
    /// <param name="busyPoll">
    /// After traffic, each loop keeps polling for more this long before it sleeps (see <see cref="TcpServerOptions.BusyPoll"/>);
    /// <see cref="TimeSpan.Zero"/> sleeps at once.
    /// </param>
    public EpollLoopGroup(int loops = 0, TimeSpan busyPoll = default)
    {
        if (!IsSupported)
            throw new NotSupportedException("the epoll engine needs Linux on x64 or arm64");
        ArgumentOutOfRangeException.ThrowIfNegative(loops);
        ArgumentOutOfRangeException.ThrowIfLessThan(busyPoll, TimeSpan.Zero);
        int count = loops > 0 ? loops : Math.Clamp(Environment.ProcessorCount, 1, 64);
        BusyPoll = busyPoll;
        _loops = new EpollServerLoop[count];
        for (int i = 0; i < count; i++)
            _loops[i] = new EpollServerLoop($"socketlab-epoll-{i}", busyPoll);
    }

    /// <summary>Whether this machine can run the engine (Linux on x64 or arm64).</summary>
    public static bool IsSupported => EpollServerLoop.IsSupported;

    /// <summary>How many loop threads the group runs.</summary>
    public int Count => _loops.Length;

    /// <summary>How long each loop polls after traffic before it sleeps.</summary>
    public TimeSpan BusyPoll { get; }

    /// <summary>The loop for the next connection, taken in turn.</summary>
    internal EpollServerLoop Next()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];
    }

    /// <summary>Stops every loop thread and waits for it. Connections still served are reset and reported.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (EpollServerLoop loop in _loops)
            loop.Stop();
    }
}
