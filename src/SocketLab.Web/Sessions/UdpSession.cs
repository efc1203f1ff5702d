using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Capture;
using SocketLab.Core.Net;
using SocketLab.Core.Transcripts;
using SocketLab.Core.Udp;

namespace SocketLab.Web.Sessions;

/// <summary>
/// The Android "UDP Sender / Receiver" on <see cref="UdpEndpoint"/>: a local port, a default remote
/// host/port, Receive-only mode, a read timeout (after a send, note when nothing came back in time),
/// broadcast, and echo like the other sessions.
/// </summary>
public sealed class UdpSession(string id, SessionServices services) : Session(id, SessionKind.Udp, services), IUdpObserver
{
    private readonly Lock _lifecycle = new();
    private readonly SwitchableUdpObserver _recorder = new();
    private readonly SwitchableUdpObserver _saver = new();
    private UdpEndpoint? _endpoint;
    private StartRequest _settings = new();
    private string? _local;
    private string? _reachable;
    private long _lastReceiveTicks;
    private bool _echo;
    // The receive loop echoes a datagram right after reporting it, so the echo's text is this one's.
    private LogEntry? _lastRx;

    public override bool Echo
    {
        get => _echo;
        set
        {
            _echo = value;
            if (_endpoint is { } e)
                e.Echo = value && !_settings.ReceiveOnly;
            Changed();
        }
    }

    protected override void PlugSaver(ReceivedFiles? saver) => _saver.Exchange(saver);

    protected override void PlugRecorder(TranscriptWriter? writer) =>
        _recorder.Exchange(writer is null ? null : new UdpTranscriptRecorder(writer, "udp-listen"));

    public override Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        UseFirmware(request.Firmware);
        if (request.Port is not (>= 0 and <= 65535))
            throw new SessionException(Notice.PortRange(0));
        if (request.RemotePort is not (null or (>= 1 and <= 65535)))
            throw new SessionException(Notice.RemotePortRange());
        if (request.ReadTimeoutMs < 0)
            throw new SessionException(Notice.ReadTimeoutNegative());
        var endpoint = new UdpEndpoint(new UdpEndpointOptions
        {
            Port = request.Port.Value,
            Broadcast = request.Broadcast,
            Echo = (request.Echo ?? false) && !request.ReceiveOnly,
            // Each datagram is logged, stored and published: a burst waits in the socket, not on the floor.
            ReceiveBufferBytes = 4 * 1024 * 1024,
        }, new UdpObserverFanout(this, _recorder, _saver));
        lock (_lifecycle)
        {
            if (_endpoint is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            try
            {
                endpoint.Start();
            }
            catch (NetworkException ex)
            {
                Notice failed = Notice.ListenFailed($"UDP {request.Port.Value}", ex);
                SetState("idle", failed);
                throw new SessionException(failed);
            }
            _endpoint = endpoint;
            _settings = request;
            Settings = request with { Port = endpoint.LocalEndPoint.Port };
            _echo = request.Echo ?? false;
            _local = EndpointText.HostPort(endpoint.LocalEndPoint);
        }
        endpoint.Warning += w => Fail(Notice.Warning(w));
        IPEndPoint bound = endpoint.LocalEndPoint;
        // What the board should send to: this machine's LAN address, not the wildcard it is bound to.
        _reachable = EndpointText.ReachableHostPort(bound);
        DrawOled(o => o.UdpWaiting(_reachable));
        Note(request.ReceiveOnly ? Notice.UdpReceiveOnly(bound.Port, _reachable) : Notice.UdpOpen(bound.Port, _reachable));
        SetState("open");
        return Task.CompletedTask;
    }

    public override async Task StopAsync()
    {
        UdpEndpoint? endpoint;
        lock (_lifecycle)
        {
            endpoint = _endpoint;
            _endpoint = null;
        }
        if (endpoint is null)
            return;
        StopRepeat();
        await endpoint.DisposeAsync().ConfigureAwait(false);
        Note(Notice.UdpClosed());
        SetState("idle");
    }

    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data)
    {
        Interlocked.Exchange(ref _lastReceiveTicks, DateTime.UtcNow.Ticks);
        LogEntry rx = Record(LogDirection.Rx, EndpointText.HostPort(peer.EndPoint), data);
        _lastRx = rx;
        DrawOled(o => o.UdpReceived(rx.Text, EndpointText.Plain(peer.EndPoint.Address).ToString()));
        if (_settings.ReceiveOnly)
            return;
        foreach (byte[] reply in OnMessages(rx.Peer, data, rx.Text))
            _ = ReplyAsync(endpoint, peer.EndPoint, reply);
    }

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo)
    {
        if (echo && _lastRx is { } rx)
            RecordEcho(rx, data);
        else
            Record(LogDirection.Tx, EndpointText.HostPort(peer.EndPoint), data);
    }

    public void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop)
    {
        // Echo off for every peer, as the checkbox then says; ticking it turns echo back on for all, this one included.
        Echo = false;
        Fail(Notice.EchoLoop(EndpointText.HostPort(peer.EndPoint), null, loop));
    }

    protected override void ValidateSend(SendRequest request)
    {
        if (_endpoint is null)
            throw new SessionException(Notice.NotRunning(), conflict: true);
        if (_settings.ReceiveOnly)
            throw new SessionException(Notice.ReceiveOnly(), conflict: true);
        if ((request.RemoteHost ?? _settings.Host) is not { Length: > 0 })
            throw new SessionException(Notice.RemoteHostMissing());
        if ((request.RemotePort ?? _settings.RemotePort) is not (>= 1 and <= 65535))
            throw new SessionException(Notice.RemotePortRange());
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        UdpEndpoint endpoint = _endpoint ?? throw new SessionException(Notice.NotRunning(), conflict: true);
        if (data.Length > UdpEndpoint.MaxDatagram - 28)
            throw new SessionException(Notice.DatagramTooLarge(UdpEndpoint.MaxDatagram - 28));
        string host = request.RemoteHost ?? _settings.Host!;
        int port = request.RemotePort ?? _settings.RemotePort!.Value;
        IPAddress address = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        long sentAt = DateTime.UtcNow.Ticks;
        try
        {
            await endpoint.SendAsync(new IPEndPoint(address, port), data, cancellationToken).ConfigureAwait(false);
        }
        catch (NetworkException ex)
        {
            throw new SessionException(Notice.SendFailed(EndpointText.HostPort(new IPEndPoint(address, port)), ex));
        }
        if (_settings.ReadTimeoutMs > 0)
            _ = WatchForReplyAsync(sentAt, _settings.ReadTimeoutMs);
        return 1;
    }

    private async Task ReplyAsync(UdpEndpoint endpoint, IPEndPoint to, byte[] reply)
    {
        try { await endpoint.SendAsync(to, reply).ConfigureAwait(false); }
        catch (Exception ex) when (ex is NetworkException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            Fail(Notice.AutoReplyFailed(EndpointText.HostPort(to), ex.Message));
        }
    }

    private async Task WatchForReplyAsync(long sentAt, int timeoutMs)
    {
        await Task.Delay(timeoutMs).ConfigureAwait(false);
        if (Interlocked.Read(ref _lastReceiveTicks) < sentAt && _endpoint is not null)
            Note(Notice.NoReply(timeoutMs));
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        try
        {
            return await HostResolver.ResolveAsync(host, ct).ConfigureAwait(false);
        }
        catch (NetworkException)
        {
            throw new SessionException(Notice.UnknownHost(host));
        }
    }

    public override object Details() => new UdpDetails(_local, _endpoint is null ? null : _reachable, _settings.Host, _settings.RemotePort,
        _settings.Broadcast, _settings.ReceiveOnly, _settings.ReadTimeoutMs);
}
