using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// A TCP listener that serves many clients at once: one accept loop, one <see cref="TcpConnection"/>
/// per client. Events go to the observer; sends can target one client or all of them.
/// </summary>
public sealed class TcpServer : IAsyncDisposable
{
    private readonly TcpServerOptions _options;
    private readonly IConnectionObserver _observer;
    private readonly ConcurrentDictionary<long, TcpConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextId;
    private long _accepted;
    private long _rejected;
    private long _closedBytesIn;
    private long _closedBytesOut;
    private int _fdBudget;
    private bool _fdWarned;
    private long _fdWarnedAt = long.MinValue / 2;

    private readonly Action<TcpConnection> _finished;
    private TaskCompletionSource? _served;
    private EpollLoopGroup? _loops;        // The epoll engine's threads: given in the options, or made (and owned) here.
    private EpollLoopGroup? _ownedLoops;
    private UringLoopGroup? _uringLoops;  // The io_uring engine's threads, made and owned here.
    private IdleWatchdog? _watchdog;       // Made when connections have an idle timeout; one timer for all of them.

    public TcpServer(TcpServerOptions options, IConnectionObserver observer)
    {
        _options = options;
        _observer = observer;
        _finished = Finished;
    }

    /// <summary>The bound endpoint (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    public IReadOnlyCollection<TcpConnection> Connections => (IReadOnlyCollection<TcpConnection>)_connections.Values;
    public long TotalAccepted => Interlocked.Read(ref _accepted);
    public long TotalRejected => Interlocked.Read(ref _rejected);
    public long TotalBytesIn => Interlocked.Read(ref _closedBytesIn) + _connections.Values.Sum(c => c.BytesIn);
    public long TotalBytesOut => Interlocked.Read(ref _closedBytesOut) + _connections.Values.Sum(c => c.BytesOut);

    /// <summary>With <see cref="TcpServerOptions.OneClientAtATime"/>: raised when the server goes back to accept after a client (the board prints <c>accepting.....</c>).</summary>
    public event Action? Accepting;

    /// <summary>Raised once per accept-loop failure streak (e.g. out of file descriptors); the loop keeps going.</summary>
    public event Action<string>? Warning;

    /// <summary>Whether <see cref="SocketEngine.Epoll"/> can run here (Linux on x64 or arm64).</summary>
    public static bool IsEpollSupported => EpollLoopGroup.IsSupported;

    /// <summary>The engine serving connections, <see cref="SocketEngine.Auto"/> resolved (known after <see cref="Start"/>).</summary>
    public SocketEngine Engine { get; private set; }

    /// <summary>Receive buffers of the uring engine held by connections (tests bound what a peer can hold).</summary>
    internal int UringBuffersHeld => _uringLoops?.BuffersHeld ?? 0;

    /// <summary>The uring engine's loops that still use multishot receives (tests of the fallback).</summary>
    internal int UringMultishotLoops => _uringLoops?.MultishotLoops ?? 0;

    /// <summary>
    /// Binds and listens, then accepts in the background. Bind failures throw <see cref="NetworkException"/>;
    /// asking for the epoll engine where it cannot run throws <see cref="NotSupportedException"/>.
    /// </summary>
    public void Start()
    {
        Engine = ResolveEngine(_options);
        IPAddress address = _options.BindAddress;
        try
        {
            _listener = Listen(address);
        }
        catch (SocketException) when (address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
        {
            _listener = Listen(IPAddress.Any); // No IPv6 here: every IPv4 interface instead.
        }
        _fdBudget = Net.FileDescriptorBudget.ConnectionsAvailable() ?? 0;
        if (Engine == SocketEngine.Epoll)
            _loops = _options.LoopGroup ?? (_ownedLoops = new EpollLoopGroup(0, _options.BusyPoll));
        if (Engine == SocketEngine.Uring)
            _uringLoops = new UringLoopGroup(0, _options.BusyPoll, multishot: !_options.UringSingleReceives, capRefused: _options.UringCapRefused);
        TimeSpan idle = _options.Connection.IdleTimeout;
        if (idle > TimeSpan.Zero && idle != Timeout.InfiniteTimeSpan)
            _watchdog = new IdleWatchdog();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private static SocketEngine ResolveEngine(TcpServerOptions options) => options.Engine switch
    {
        SocketEngine.Auto => options.Tls is null && !options.Connection.PortableSockets && EpollLoopGroup.IsSupported ? SocketEngine.Epoll : SocketEngine.Async,
        SocketEngine.Epoll when options.Tls is not null => throw new NotSupportedException("the epoll engine serves plain TCP only; TLS runs on the async engine"),
        SocketEngine.Epoll when options.Connection.PortableSockets => throw new NotSupportedException("the epoll engine is Linux's own; portable sockets run on the async engine"),
        SocketEngine.Epoll when !EpollLoopGroup.IsSupported => throw new NotSupportedException("the epoll engine needs Linux on x64 or arm64"),
        SocketEngine.Uring when options.Tls is not null => throw new NotSupportedException("the uring engine serves plain TCP only; TLS runs on the async engine"),
        SocketEngine.Uring when options.Connection.PortableSockets => throw new NotSupportedException("the uring engine is Linux's own; portable sockets run on the async engine"),
        SocketEngine.Uring when Uring.UringSupport.Unavailable is { } why => throw new NotSupportedException($"the uring engine cannot run here: {why}"),
        SocketEngine chosen => chosen,
    };

    /// <summary>Connections this process can hold under its open-file limit (0 = unknown).</summary>
    public int ConnectionBudget => _fdBudget;

    private Socket Listen(IPAddress address)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                listener.DualMode = true;
            // As Go, Node and ncat do: a restarted server can listen at once although its last clients'
            // connections still sit in TIME_WAIT. Only SO_REUSEADDR, so Linux still refuses a second
            // listener; .NET's ReuseAddress would add SO_REUSEPORT and allow one.
            if (OperatingSystem.IsLinux())
                listener.SetRawSocketOption(LinuxSocketConstants.SolSocket, LinuxSocketConstants.SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(address, _options.Port));
            listener.Listen(_options.Backlog);
            return listener;
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            if (address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
                throw;
            throw NetworkException.From(ex, NetworkOperation.Listen, EndpointText.HostPort(new IPEndPoint(address, _options.Port)));
        }
    }

    public TcpConnection? Find(long id) => _connections.GetValueOrDefault(id);

    /// <summary>
    /// Queues <paramref name="data"/> for every connected client without waiting, so a slow client
    /// holds up no one. Returns how many clients got it and how many were skipped because they
    /// already had <see cref="TcpConnectionOptions.MaxPendingSendBytes"/> waiting.
    /// </summary>
    public (int Sent, int Skipped) Broadcast(ReadOnlyMemory<byte> data)
    {
        int sent = 0, skipped = 0;
        foreach (TcpConnection c in _connections.Values)
        {
            if (c.Post(data))
                sent++;
            else
                skipped++;
        }
        return (sent, skipped);
    }

    /// <summary>
    /// Stops accepting, closes every connection gracefully (what is owed is sent, then FIN) and
    /// waits up to <paramref name="timeout"/>; connections still open then are reset.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_stopping.IsCancellationRequested)
            _stopping.Cancel();
        _listener?.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        foreach (TcpConnection c in _connections.Values)
            c.Close();
        // The accept loop has ended, so every connection listed has been started.
        Task all = Task.WhenAll(_connections.Values.Select(c => c.Running ?? Task.CompletedTask));
        if (await Task.WhenAny(all, Task.Delay(timeout)).ConfigureAwait(false) != all)
        {
            foreach (TcpConnection c in _connections.Values)
                c.Abort();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        }
    }

    private async Task AcceptLoopAsync()
    {
        Socket listener = _listener!;
        CancellationToken ct = _stopping.Token;
        bool warned = false;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ct).ConfigureAwait(false);
                warned = false;
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted && ct.IsCancellationRequested) { break; }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue; // The peer gave up while queued; nothing to serve.
            }
            catch (SocketException ex)
            {
                // Typically EMFILE/ENFILE: the queued peer stays in the backlog until descriptors free up.
                if (!warned)
                {
                    Warning?.Invoke($"accept failed: {ex.Message}; retrying");
                    warned = true;
                }
                try { await Task.Delay(100, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }

            long id = Interlocked.Increment(ref _nextId);
            TcpConnection connection;
            try
            {
                connection = new TcpConnection(id, socket, _options.Connection, _observer, stream: null, _options.Tls, _watchdog);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                socket.Dispose(); // Reset before we could read its endpoints.
                continue;
            }

            if (_options.Access is { } access && !access.Permits(connection.RemoteEndPoint.Address))
            {
                Interlocked.Increment(ref _rejected);
                connection.Reject(new Rejection(RejectionKind.AccessDenied));
                continue;
            }
            if (_fdBudget > 0 && _connections.Count >= _fdBudget)
            {
                Interlocked.Increment(ref _rejected);
                // Once per streak, and at most every 10 s: a backlog drained in bursts is one storm, not many.
                if (!_fdWarned && Environment.TickCount64 - _fdWarnedAt >= 10_000)
                {
                    Warning?.Invoke($"out of file descriptors: {_fdBudget} connections fit under the open-file limit (ulimit -n); refusing more until some close");
                    _fdWarnedAt = Environment.TickCount64;
                }
                _fdWarned = true;
                connection.Reject(new Rejection(RejectionKind.OutOfDescriptors, _fdBudget));
                continue;
            }
            _fdWarned = _fdWarned && _connections.Count > _fdBudget / 2;
            if (_options.MaxClients > 0 && _connections.Count >= _options.MaxClients)
            {
                Interlocked.Increment(ref _rejected);
                connection.Reject(new Rejection(RejectionKind.TooManyClients, _options.MaxClients));
                continue;
            }

            Interlocked.Increment(ref _accepted);
            _connections[id] = connection;
            TaskCompletionSource? served = _options.OneClientAtATime ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            _served = served;
            if (_uringLoops is not null)
                connection.StartOn(_uringLoops.Next(), _finished);
            else if (_loops is not null)
                connection.StartOn(_loops.Next(), _finished);
            else
                connection.Start(_finished);
            if (served is null)
                continue;
            try
            {
                await served.Task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Accepting?.Invoke();
        }
    }

    private void Finished(TcpConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        Interlocked.Add(ref _closedBytesIn, connection.BytesIn);
        Interlocked.Add(ref _closedBytesOut, connection.BytesOut);
        connection.Release();
        _served?.TrySetResult();
    }

    /// <summary>Stops (see <see cref="StopAsync"/>), then ends what the server owns: its epoll threads and idle timer.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        _ownedLoops?.Dispose();
        _uringLoops?.Dispose();
        _watchdog?.Dispose();
        _stopping.Dispose();
    }
}
