using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Udp;

/// <summary>
/// One UDP socket that receives from any number of peers at once and sends to any of them:
/// the board's udp_server and udp_client in one. Peers are told apart by address and port
/// (user-mode demultiplexing), so replies can go to the last peer or a chosen one.
/// </summary>
public sealed class UdpEndpoint : IAsyncDisposable
{
    /// <summary>Largest UDP payload (IPv6 jumbograms aside); the buffer never truncates a datagram.</summary>
    public const int MaxDatagram = 65_535;

    private readonly UdpEndpointOptions _options;
    private readonly IUdpObserver _observer;
    private readonly ConcurrentDictionary<IPEndPoint, UdpPeer> _peers = new();
    // Least recently used first: forgetting a peer when the table is full is O(1), not a scan of 10,000.
    private readonly LinkedList<UdpPeer> _lru = new();
    private readonly Lock _lruLock = new();
    private long _datagramsIn;
    private long _bytesIn;
    private long _datagramsOut;
    private long _bytesOut;
    private long _forgotten;
    private readonly CancellationTokenSource _stopping = new();
    // A send is reported once the datagram left; holding this while sending and reporting keeps a
    // fast reply from being reported before the send that caused it.
    private readonly SemaphoreSlim _reportOrder = new(1, 1);
    private Socket? _socket;
    private IPEndPoint? _localEndPoint;
    private Task? _receiveLoop;
    private UdpPeer? _lastPeer;
    private long _nextId;

    public UdpEndpoint(UdpEndpointOptions options, IUdpObserver observer)
    {
        _options = options;
        _observer = observer;
    }

    /// <summary>
    /// The bound address and port, kept from <see cref="Start"/>: observers still reporting the last datagram may
    /// ask while a stop is closing the socket (a transcript of a reply that ended a <c>--wait-reply</c>).
    /// </summary>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("not started");

    public IReadOnlyCollection<UdpPeer> Peers => (IReadOnlyCollection<UdpPeer>)_peers.Values;

    /// <summary>Datagrams received since the start, from every peer (forgotten ones too).</summary>
    public long TotalDatagramsIn => Interlocked.Read(ref _datagramsIn);
    public long TotalBytesIn => Interlocked.Read(ref _bytesIn);
    /// <summary>Datagrams sent since the start (echoes included), to every peer.</summary>
    public long TotalDatagramsOut => Interlocked.Read(ref _datagramsOut);
    public long TotalBytesOut => Interlocked.Read(ref _bytesOut);
    /// <summary>Distinct peers heard from or sent to since the start (a forgotten peer that comes back counts again).</summary>
    public long TotalPeers => Interlocked.Read(ref _nextId);
    /// <summary>Peers forgotten because <see cref="UdpEndpointOptions.MaxPeers"/> were known.</summary>
    public long ForgottenPeers => Interlocked.Read(ref _forgotten);

    /// <summary>The peer the latest datagram came from.</summary>
    public UdpPeer? LastPeer => Volatile.Read(ref _lastPeer);

    /// <summary>
    /// Whether received datagrams are sent back (to each peer whose <see cref="UdpPeer.Echo"/> is on); can be
    /// switched while running. Setting it to true also turns echo back on for peers the loop guard cut off.
    /// </summary>
    public bool Echo
    {
        get => _echo;
        set
        {
            if (value)
            {
                foreach (UdpPeer p in _peers.Values)
                    p.Echo = true;
            }
            _echo = value;
        }
    }

    private volatile bool _echo;

    /// <summary>Raised for receive failures that do not stop the endpoint (e.g. ICMP errors reported late).</summary>
    public event Action<string>? Warning;

    public UdpPeer? Find(long id) => _peers.Values.FirstOrDefault(p => p.Id == id);

    /// <summary>Binds, joins the groups, and receives in the background. Failures throw <see cref="NetworkException"/>.</summary>
    public void Start()
    {
        Echo = _options.Echo;
        IPAddress address = _options.BindAddress;
        if (address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6)
            address = IPAddress.Any;
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = true;
            if (_options.MulticastGroups.Count > 0)
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // Several listeners may share a group's port.
            if (_options.Broadcast)
                socket.EnableBroadcast = true;
            if (_options.ReceiveBufferBytes > 0)
                socket.ReceiveBufferSize = _options.ReceiveBufferBytes;
            socket.Bind(new IPEndPoint(address, _options.Port));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw NetworkException.From(ex, NetworkOperation.Bind, EndpointText.HostPort(new IPEndPoint(address, _options.Port)));
        }
        _socket = socket;
        _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        try
        {
            foreach (IPAddress group in _options.MulticastGroups)
                Join(socket, group);
            if (_options.MulticastInterface is { } nic && socket.AddressFamily == AddressFamily.InterNetwork)
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, nic.GetAddressBytes());
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw NetworkException.From(ex, NetworkOperation.JoinGroup, string.Join(", ", _options.MulticastGroups));
        }
        catch (NetworkException)
        {
            socket.Dispose();
            throw;
        }
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    private void Join(Socket socket, IPAddress group)
    {
        if (group.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group));
            return;
        }
        if (socket.AddressFamily != AddressFamily.InterNetwork)
            throw new NetworkException(NetworkErrorKind.WrongAddressFamily, NetworkOperation.JoinGroup, group.ToString());
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
            _options.MulticastInterface is { } nic ? new MulticastOption(group, nic) : new MulticastOption(group));
    }

    /// <summary>Sends one datagram; the whole payload leaves as one datagram or not at all.</summary>
    public async ValueTask<UdpPeer> SendAsync(IPEndPoint to, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        UdpPeer peer = Track(to);
        await SendCoreAsync(peer, data, echo: false, cancellationToken).ConfigureAwait(false);
        return peer;
    }

    private async ValueTask SendCoreAsync(UdpPeer peer, ReadOnlyMemory<byte> data, bool echo, CancellationToken ct)
    {
        Socket socket = _socket ?? throw new InvalidOperationException("not started");
        IPEndPoint target = peer.EndPoint;
        if (socket.AddressFamily == AddressFamily.InterNetworkV6 && target.AddressFamily == AddressFamily.InterNetwork)
            target = new IPEndPoint(target.Address.MapToIPv6(), target.Port);
        await _reportOrder.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendToAsync(data, SocketFlags.None, target, ct).ConfigureAwait(false);
            peer.CountOut(data.Length);
            Interlocked.Increment(ref _datagramsOut);
            Interlocked.Add(ref _bytesOut, data.Length);
            _observer.OnSent(this, peer, data.Span, echo);
        }
        catch (SocketException ex)
        {
            // EACCES on a send is Linux refusing a broadcast address without SO_BROADCAST.
            bool broadcast = ex.SocketErrorCode == SocketError.AccessDenied && !_options.Broadcast;
            throw new NetworkException(broadcast ? NetworkErrorKind.BroadcastNotAllowed : NetworkException.Classify(ex.SocketErrorCode),
                NetworkOperation.Send, EndpointText.HostPort(peer.EndPoint), broadcast ? null : ex.Message, ex);
        }
        finally
        {
            _reportOrder.Release();
        }
    }

    /// <summary>The known peer for <paramref name="endPoint"/>, now the most recently used; a new one forgets the least recently used when full.</summary>
    private UdpPeer Track(IPEndPoint endPoint)
    {
        var key = new IPEndPoint(EndpointText.Plain(endPoint.Address), endPoint.Port);
        lock (_lruLock)
        {
            if (_peers.TryGetValue(key, out UdpPeer? known))
            {
                _lru.Remove(known.Node);
                _lru.AddLast(known.Node);
                return known;
            }
            if (_peers.Count >= _options.MaxPeers && _lru.First is { } oldest)
            {
                _lru.RemoveFirst();
                _peers.TryRemove(oldest.Value.EndPoint, out _);
                _forgotten++;
            }
            var peer = new UdpPeer(Interlocked.Increment(ref _nextId), key);
            _peers[key] = peer;
            _lru.AddLast(peer.Node);
            return peer;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Socket socket = _socket!;
        CancellationToken ct = _stopping.Token;
        byte[] buffer = new byte[MaxDatagram];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) when (ct.IsCancellationRequested) { break; }
            catch (SocketException ex)
            {
                // An ICMP error for an earlier send (port unreachable…) surfaces here on some systems; the socket still works.
                Warning?.Invoke($"receive: {ex.Message}");
                continue;
            }

            UdpPeer peer = Track((IPEndPoint)result.RemoteEndPoint);
            peer.CountIn(result.ReceivedBytes);
            Interlocked.Increment(ref _datagramsIn);
            Interlocked.Add(ref _bytesIn, result.ReceivedBytes);
            Volatile.Write(ref _lastPeer, peer);
            if (peer.Guard is { } probed && TakeHeldEcho(probed) is { } held)
            {
                // The peer sent again without waiting for the held echo: no loop. The held echo goes first.
                try
                {
                    await SendCoreAsync(peer, held.Memory, echo: true, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) { break; }
                catch (NetworkException ex)
                {
                    Warning?.Invoke($"echo: {ex.Message}");
                }
                finally
                {
                    held.Return();
                }
            }
            try
            {
                await _reportOrder.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            try
            {
                _observer.OnReceived(this, peer, buffer.AsSpan(0, result.ReceivedBytes));
            }
            finally
            {
                _reportOrder.Release();
            }
            if (Echo && peer.Echo && !WithholdForProbe(peer, buffer.AsSpan(0, result.ReceivedBytes)))
            {
                try
                {
                    await SendCoreAsync(peer, buffer.AsMemory(0, result.ReceivedBytes), echo: true, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) { break; }
                catch (NetworkException ex)
                {
                    Warning?.Invoke($"echo: {ex.Message}");
                }
            }
        }
    }

    /// <summary>
    /// The loop guard's look at a datagram about to be echoed to <paramref name="peer"/>. True when it completes a
    /// run of copies: the echo is held back, and a timer decides whether the peer was only answering our echoes.
    /// </summary>
    private bool WithholdForProbe(UdpPeer peer, ReadOnlySpan<byte> data)
    {
        if (!_options.EchoLoopGuard)
            return false;
        EchoLoopGuard? guard = peer.Guard;
        if (guard is null)
        {
            if (data.Length > EchoLoopInfo.MaxPayloadLength)
                return false;
            guard = peer.Guard = new EchoLoopGuard();
        }
        lock (guard)
        {
            if (peer.TakeRearm())
                guard.Rearm();
            long now = Environment.TickCount64;
            if (guard.Probing || !guard.Repeated(data, now))
                return false;
            guard.Withhold(data, now);
            guard.StartTimer(static state => _ = ((ProbeTimer)state!).FireAsync(), new ProbeTimer(this, peer));
            return true;
        }
    }

    private static HeldEcho? TakeHeldEcho(EchoLoopGuard guard)
    {
        lock (guard)
        {
            if (!guard.Probing)
                return null;
            byte[] held = guard.Clear(out int length);
            return new HeldEcho(held, length);
        }
    }

    private readonly record struct HeldEcho(byte[] Buffer, int Length)
    {
        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);
        public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    /// <summary>A probe ran out of time with nothing more from its peer: that peer echoes too. Echo off for it.</summary>
    private sealed class ProbeTimer(UdpEndpoint endpoint, UdpPeer peer)
    {
        public async Task FireAsync()
        {
            EchoLoopGuard guard = peer.Guard!;
            EchoLoopInfo loop;
            HeldEcho held;
            lock (guard)
            {
                if (!guard.Probing)
                    return;
                if (!guard.Expired(Environment.TickCount64))
                {
                    guard.RestartTimer();
                    return;
                }
                loop = guard.Trip(out byte[] buffer, out int length);
                held = new HeldEcho(buffer, length);
                peer.Echo = false;
            }
            try
            {
                // The held echo goes out as the last one, then the notice (in order with the other events).
                await endpoint.SendCoreAsync(peer, held.Memory, echo: true, endpoint._stopping.Token).ConfigureAwait(false);
                await endpoint._reportOrder.WaitAsync(endpoint._stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or NetworkException or InvalidOperationException)
            {
                return;
            }
            finally
            {
                held.Return();
            }
            try
            {
                endpoint._observer.OnEchoLoop(endpoint, peer, loop);
            }
            finally
            {
                endpoint._reportOrder.Release();
            }
        }
    }

    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
            _stopping.Cancel();
        _socket?.Dispose();
        if (_receiveLoop is not null)
            await _receiveLoop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (UdpPeer p in _peers.Values)
            p.Guard?.Dispose();
        _stopping.Dispose();
        _reportOrder.Dispose();
    }
}
