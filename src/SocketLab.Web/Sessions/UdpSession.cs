using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Web.Sessions;

/// <summary>
/// The Android "UDP Sender / Receiver": a local port, a default remote host/port, Receive-only mode,
/// a read timeout (after a send, note when nothing came back in time) and broadcast.
/// Kept small on purpose: plain <see cref="Socket"/> datagrams, one receive loop.
/// </summary>
public sealed class UdpSession(string id, SessionServices services) : Session(id, SessionKind.Udp, services)
{
    public const int MaxDatagram = 65507;

    private readonly Lock _lifecycle = new();
    private Socket? _socket;
    private CancellationTokenSource? _run;
    private Task? _loop;
    private StartRequest _settings = new();
    private string? _local;
    private long _lastReceiveTicks;

    /// <summary>UDP has no echo in the Android app; kept so the page can treat every session alike.</summary>
    public override bool Echo { get => false; set { } }

    public override Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is not (>= 0 and <= 65535))
            throw new SessionException("local port must be 0–65535");
        if (request.RemotePort is not (null or (>= 1 and <= 65535)))
            throw new SessionException("remote port must be 1–65535");
        if (request.ReadTimeoutMs < 0)
            throw new SessionException("read timeout must not be negative");
        lock (_lifecycle)
        {
            if (_socket is not null)
                throw new SessionException("already open; close first", conflict: true);
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.EnableBroadcast = request.Broadcast;
                socket.Bind(new IPEndPoint(IPAddress.Any, request.Port.Value));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                string message = NetworkException.From(ex, $"open UDP port {request.Port}").Message;
                SetState("idle", message);
                throw new SessionException(message);
            }
            _socket = socket;
            _settings = request;
            _run = new CancellationTokenSource();
            _local = EndpointText.HostPort((IPEndPoint)socket.LocalEndPoint!);
            _loop = Task.Run(() => ReceiveLoopAsync(socket, _run.Token));
        }
        Note(request.ReceiveOnly ? $"receiving only on {_local}" : $"open on {_local}");
        SetState("open");
        return Task.CompletedTask;
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken ct)
    {
        byte[] buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // An ICMP "port unreachable" for an earlier send; the socket is fine.
            }
            catch (SocketException ex)
            {
                Fail($"receive failed: {ex.Message}");
                break;
            }
            Interlocked.Exchange(ref _lastReceiveTicks, DateTime.UtcNow.Ticks);
            var from = (IPEndPoint)r.RemoteEndPoint;
            LogEntry rx = Record(LogDirection.Rx, EndpointText.HostPort(from), buffer.AsSpan(0, r.ReceivedBytes));
            byte[]? reply = Rules.Answer(buffer.AsSpan(0, r.ReceivedBytes), rx.Text, Encoding, DateTimeOffset.Now);
            if (reply is not null && !_settings.ReceiveOnly)
                await SendToAsync(socket, reply, from, ct).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync()
    {
        Socket? socket;
        Task? loop;
        lock (_lifecycle)
        {
            socket = _socket;
            loop = _loop;
            _socket = null;
            _run?.Cancel();
            _run = null;
        }
        if (socket is null)
            return;
        StopRepeat();
        socket.Dispose();
        if (loop is not null)
            await loop.ConfigureAwait(false);
        Note("closed");
        SetState("idle");
    }

    protected override void ValidateSend(SendRequest request)
    {
        if (_socket is null)
            throw new SessionException("not open", conflict: true);
        if (_settings.ReceiveOnly)
            throw new SessionException("receive-only mode: sending is off", conflict: true);
        if ((request.RemoteHost ?? _settings.Host) is not { Length: > 0 })
            throw new SessionException("enter the remote host");
        if ((request.RemotePort ?? _settings.RemotePort) is not (>= 1 and <= 65535))
            throw new SessionException("remote port must be 1–65535");
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        Socket socket = _socket ?? throw new SessionException("not open", conflict: true);
        if (data.Length > MaxDatagram)
            throw new SessionException($"a UDP datagram holds at most {MaxDatagram} bytes");
        string host = request.RemoteHost ?? _settings.Host!;
        int port = request.RemotePort ?? _settings.RemotePort!.Value;
        IPAddress address = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        var to = new IPEndPoint(address, port);
        long sentAt = DateTime.UtcNow.Ticks;
        await SendToAsync(socket, data, to, cancellationToken).ConfigureAwait(false);
        if (_settings.ReadTimeoutMs > 0)
            _ = WatchForReplyAsync(sentAt, _settings.ReadTimeoutMs);
        return 1;
    }

    private async Task SendToAsync(Socket socket, byte[] data, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await socket.SendToAsync(data, SocketFlags.None, to, ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SessionException(NetworkException.From(ex, $"send to {EndpointText.HostPort(to)}").Message);
        }
        Record(LogDirection.Tx, EndpointText.HostPort(to), data);
    }

    private async Task WatchForReplyAsync(long sentAt, int timeoutMs)
    {
        await Task.Delay(timeoutMs).ConfigureAwait(false);
        if (Interlocked.Read(ref _lastReceiveTicks) < sentAt && _socket is not null)
            Note($"no reply within {timeoutMs / 1000.0:0.###} s (read timeout)");
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out IPAddress? literal))
            return literal.IsIPv4MappedToIPv6 ? literal.MapToIPv4() : literal;
        try
        {
            IPAddress[] all = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, ct).ConfigureAwait(false);
            return all.Length > 0 ? all[0] : throw new SessionException($"unknown host '{host}'");
        }
        catch (SocketException)
        {
            throw new SessionException($"unknown host '{host}'");
        }
    }

    public override object Details() => new
    {
        local = _local,
        remoteHost = _settings.Host,
        remotePort = _settings.RemotePort,
        broadcast = _settings.Broadcast,
        receiveOnly = _settings.ReceiveOnly,
        readTimeoutMs = _settings.ReadTimeoutMs,
    };
}
