using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Web.Board;

namespace SocketLab.Web.Sessions;

/// <summary>The phone app's TCP Client page: connect, optionally greet like the board, echo, reconnect with back-off.</summary>
public sealed class TcpClientSession(string id, SessionServices services)
    : TcpSessionBase(id, SessionKind.TcpClient, services)
{
    /// <summary>The seed's tcpClient greeting.</summary>
    public const string SeedGreeting = "hello mPython,I am TCP Client";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _lifecycle = new();
    private CancellationTokenSource? _run;
    private Task? _loop;
    private volatile TcpConnection? _connection;
    // The page plays the phone's part: no echo unless asked (the board's client echoes; two echoes loop).
    private volatile bool _echo;
    private string? _target;
    private bool _reconnect;
    private long _connections;

    public override bool Echo
    {
        get => _echo;
        set
        {
            _echo = value;
            if (_connection is { } c)
                c.Echo = value;
            Changed();
        }
    }

    protected override string TranscriptRole => "client";

    protected override IEnumerable<TcpConnection> OpenConnections() => _connection is { } c ? [c] : [];

    public override async Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        UseFirmware(request.Firmware);
        string host = request.Host?.Trim() ?? "";
        if (host.Length == 0)
            throw new SessionException(Notice.HostMissing());
        if (request.Port is not (>= 1 and <= 65535))
            throw new SessionException(Notice.PortRange(1));
        var run = new CancellationTokenSource();
        lock (_lifecycle)
        {
            if (_run is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            _run = run;
        }
        Settings = request;
        _echo = request.Echo ?? false;
        _reconnect = request.Reconnect;
        _target = $"{host}:{request.Port}";
        SetState("connecting");
        Socket? socket = null;
        try
        {
            socket = await TcpConnector.ConnectAsync(host, request.Port.Value, ConnectTimeout, run.Token).ConfigureAwait(false);
        }
        catch (NetworkException ex) when (!request.Reconnect)
        {
            lock (_lifecycle)
                _run = null;
            run.Dispose();
            Notice failed = Notice.ConnectFailed(_target, ex);
            SetState("idle", failed);
            throw new SessionException(failed);
        }
        catch (NetworkException ex)
        {
            Fail(Notice.ConnectFailed(_target, ex));
        }
        _loop = Task.Run(() => RunAsync(socket, host, request.Port.Value, request.Greeting, run.Token));
    }

    private async Task RunAsync(Socket? socket, string host, int port, string? greeting, CancellationToken ct)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (socket is null)
                {
                    TimeSpan wait = backoff.Next();
                    SetState("reconnecting");
                    Note(Notice.Reconnecting(_target!, wait.TotalSeconds));
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                    try
                    {
                        socket = await TcpConnector.ConnectAsync(host, port, ConnectTimeout, ct).ConfigureAwait(false);
                    }
                    catch (NetworkException ex)
                    {
                        Fail(Notice.ConnectFailed(_target!, ex));
                        continue;
                    }
                }

                var connection = new TcpConnection(Interlocked.Increment(ref _connections), socket, new TcpConnectionOptions { Echo = _echo }, Observer);
                socket = null;
                _connection = connection;
                backoff.Reset();
                Task receiving = connection.RunAsync();
                if (greeting is { Length: > 0 })
                {
                    try { await connection.SendAsync(Encoding.GetBytes(greeting), ct).ConfigureAwait(false); }
                    catch (ConnectionClosedException) { }
                }
                await receiving.ConfigureAwait(false);
                _connection = null;
                await connection.DisposeAsync().ConfigureAwait(false);
                if (!_reconnect)
                    break;
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            socket?.Dispose();
            _connection = null;
            lock (_lifecycle)
                _run = null;
            SetState("idle");
        }
    }

    public override async Task StopAsync()
    {
        CancellationTokenSource? run;
        lock (_lifecycle)
            run = _run;
        if (run is null)
            return;
        StopRepeat();
        run.Cancel();
        _connection?.Close();
        if (_loop is { } loop)
            await loop.ConfigureAwait(false);
        run.Dispose();
    }

    protected override void ValidateSend(SendRequest request)
    {
        if (_connection is null)
            throw new SessionException(Notice.NotRunning(), conflict: true);
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        TcpConnection c = _connection ?? throw new SessionException(Notice.NotRunning(), conflict: true);
        await c.SendAsync(data, cancellationToken).ConfigureAwait(false);
        return 1;
    }

    public override object Details() => new
    {
        target = _target,
        reconnect = _reconnect,
        local = _connection is { } c ? EndpointText.HostPort(c.LocalEndPoint) : null,
        remote = _connection is { } r ? EndpointText.HostPort(r.RemoteEndPoint) : null,
    };

    public override void OnConnected(TcpConnection connection)
    {
        Note(Notice.ConnectedTo(EndpointText.HostPort(connection.RemoteEndPoint), EndpointText.HostPort(connection.LocalEndPoint)));
        SetState("connected");
    }

    public override void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        ForgetPeer(EndpointText.HostPort(connection.RemoteEndPoint));
        Note(Notice.Disconnected(WhyClosed(reason), detail));
    }

    public override void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop)
    {
        // One connection: the checkbox shows the truth, and ticking it turns echo back on (and re-arms the guard).
        _echo = false;
        Fail(Notice.EchoLoop(EndpointText.HostPort(connection.RemoteEndPoint), null, loop));
        Changed();
    }

    protected override byte[] DrawReceived(IBoardDisplay oled, string text) => oled.ClientReceived(text);
}
