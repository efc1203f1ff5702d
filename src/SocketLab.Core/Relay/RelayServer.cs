using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Relay;

/// <summary>
/// A man in the middle for debugging: each accepted client gets its own connection to the device, and
/// bytes are passed on unchanged both ways while an <see cref="IRelayObserver"/> sees them. A FIN from one
/// side becomes a FIN (shutdown of sending) on the other, so half-closed protocols keep working; a reset
/// from one side becomes a reset (SO_LINGER 0) on the other, so each end sees what it would see directly.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly RelayOptions _options;
    private readonly IRelayObserver _observer;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private readonly SpliceRelayLoop[]? _spliceLoops;
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextId;

    public RelayServer(RelayOptions options, IRelayObserver observer)
    {
        _options = options;
        _observer = observer;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        if (ZeroCopy)
            _spliceLoops = new SpliceRelayLoop[Math.Min(Environment.ProcessorCount, 4)];
    }

    /// <summary>
    /// Whether bytes pass kernel to kernel (Linux splice): when no observer reads them (<see cref="IRelayObserver.ReadsData"/>)
    /// and no fault is injected. <see cref="IRelayObserver.OnData"/> is then never called; the counters still count.
    /// </summary>
    public bool ZeroCopy => _options.ZeroCopy && SpliceRelayLoop.IsSupported && !_observer.ReadsData && _options.DropRate == 0 && _options.Delay == TimeSpan.Zero;

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    /// <summary>Clients accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _nextId);

    /// <summary>Binds and listens, then accepts in the background; bind failures throw <see cref="NetworkException"/>.</summary>
    public void Start()
    {
        _listener = ListenSocket.Open(_options.Listen, _options.Backlog);
        if (_spliceLoops is not null)
        {
            for (int i = 0; i < _spliceLoops.Length; i++)
                _spliceLoops[i] = new SpliceRelayLoop(i, _options.BusyPoll);
        }
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // A client that reset before it was accepted, or out of descriptors for a moment.
            }
            long id = Interlocked.Increment(ref _nextId);
            var connection = new RelayConnection(id, (IPEndPoint)client.RemoteEndPoint!, (IPEndPoint)client.LocalEndPoint!);
            Task run = RunConnectionAsync(connection, client);
            _connections[id] = run;
            _ = run.ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task RunConnectionAsync(RelayConnection c, Socket client)
    {
        long id = c.Id;
        client.NoDelay = true;
        Socket device;
        try
        {
            device = _spliceLoops is { } loops
                ? await TcpConnector.ConnectAsync(_options.DeviceHost, _options.DevicePort, _options.ConnectTimeout,
                    (socket, target, ct) => new ValueTask(loops[id % loops.Length].ConnectAsync(socket, target, ct)), _stop.Token).ConfigureAwait(false)
                : await TcpConnector.ConnectAsync(_options.DeviceHost, _options.DevicePort, _options.ConnectTimeout, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NetworkException or OperationCanceledException)
        {
            _observer.OnUpstreamFailed(c, ex is NetworkException n ? n.Message : "stopped");
            Reset(client);
            _observer.OnClosed(c);
            return;
        }
        device.NoDelay = true;
        c.Device = (IPEndPoint)device.RemoteEndPoint!;
        _observer.OnOpened(c);
        if (_spliceLoops is not null && SplicedRelay.TryCreate(c, client, device, _observer, _options.BufferSize) is { } spliced)
        {
            _spliceLoops[id % _spliceLoops.Length].Add(spliced);
            await spliced.Done.Task.ConfigureAwait(false); // The loop reports the close.
            return;
        }
        using (client)
        using (device)
        using (_stop.Token.Register(() => { Abort(client); Abort(device); }))
        {
            // Each pump ends on FIN (passed on), a reset (passed on) or the other pump's abort.
            Task up = PumpAsync(c, client, device, RelayDirection.ToDevice);
            Task down = PumpAsync(c, device, client, RelayDirection.ToClient);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        _observer.OnClosed(c);
    }

    private async Task PumpAsync(RelayConnection c, Socket from, Socket to, RelayDirection direction)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(_options.BufferSize);
        while (true)
        {
            int n;
            try
            {
                n = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                if (c.TryMarkReset())
                {
                    _observer.OnReset(c, direction);
                    Reset(to);
                }
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return; // The other pump reset or aborted this socket.
            }
            if (n == 0)
            {
                _observer.OnHalfClosed(c, direction);
                try
                {
                    to.Shutdown(SocketShutdown.Send);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
                return;
            }
            c.Count(direction, n);
            bool drop = _options.DropRate > 0 && NextDouble() < _options.DropRate;
            _observer.OnData(c, direction, buffer.AsSpan(0, n), drop);
            if (drop)
                continue;
            try
            {
                if (_options.Delay > TimeSpan.Zero)
                    await Task.Delay(_options.Delay, _stop.Token).ConfigureAwait(false);
                int sent = 0;
                while (sent < n)
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
            {
                // The receiving side reset: its pump passes the reset on; stop reading here.
                if (c.TryMarkReset())
                {
                    _observer.OnReset(c, direction == RelayDirection.ToDevice ? RelayDirection.ToClient : RelayDirection.ToDevice);
                    Reset(from);
                }
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
        }
    }

    private double NextDouble()
    {
        lock (_random)
            return _random.NextDouble();
    }

    /// <summary>Closes with SO_LINGER 0: the peer gets a reset, not a FIN.</summary>
    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static void Abort(Socket s)
    {
        try
        {
            s.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops accepting and closes every relayed connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        foreach (SpliceRelayLoop? loop in _spliceLoops ?? [])
            loop?.Dispose(); // Closes the spliced connections, so their tasks below end.
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stop.Dispose();
    }
}
