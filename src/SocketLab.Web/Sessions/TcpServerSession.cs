using System.Net;
using SocketLab.Core.Net;
using SocketLab.Board.Oled;
using SocketLab.Core.Tcp;
using SocketLab.Web.Board;

namespace SocketLab.Web.Sessions;

/// <summary>The phone app's TCP Server page: listen on an address and port, serve many clients, echo (the seed's default).</summary>
public sealed class TcpServerSession(string id, SessionServices services)
    : TcpSessionBase(id, SessionKind.TcpServer, services)
{
    private readonly Lock _lifecycle = new();
    // Our own list: it changes exactly when we report the change to the page.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, TcpConnection> _clients = new();
    private TcpServer? _server;
    // The page plays the phone's part (it shows and sends; the board echoes): no echo unless asked.
    private volatile bool _echo;
    private string? _listeningOn;
    private bool _board;

    public override bool Echo
    {
        get => _echo;
        set
        {
            _echo = value;
            foreach (TcpConnection c in _clients.Values)
                c.Echo = value;
            Changed();
        }
    }

    protected override string TranscriptRole => "server";

    protected override IEnumerable<TcpConnection> OpenConnections() => _clients.Values;

    public override async Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        UseFirmware(request.Firmware);
        if (request.Port is not (>= 0 and <= 65535))
            throw new SessionException(Notice.PortRange(0));
        IPAddress address = IPAddress.Any;
        if (request.Address is { Length: > 0 } text && !IPAddress.TryParse(text, out address!))
            throw new SessionException(Notice.NotAnAddress(text));
        var options = new TcpServerOptions
        {
            BindAddress = address,
            Port = request.Port.Value,
            // Decoding, the log, OLED redraws and the user's rule regexes run in the observer: on the async engine a
            // slow one holds up only its own connection, where on an epoll loop it would hold up every connection
            // that loop serves. The page serves a few devices, not thousands, so epoll's savings do not matter here.
            Engine = TcpServerEngine.Async,
            Connection = new TcpConnectionOptions { Echo = request.Echo ?? false },
        };
        var server = request.Board
            ? new TcpServer(options.AsBoard(), new ObserverFanout(Observer, new BoardStrictObserver(text => Note(Notice.Of("board", text, ("text", text))))))
            : new TcpServer(options, Observer);
        lock (_lifecycle)
        {
            if (_server is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            _echo = request.Echo ?? false;
            _board = request.Board;
            try
            {
                server.Start();
            }
            catch (NetworkException ex)
            {
                Notice failed = Notice.ListenFailed(EndpointText.HostPort(new IPEndPoint(address, request.Port.Value)), ex);
                SetState("idle", failed);
                throw new SessionException(failed);
            }
            _server = server;
            // The port in use, not 0: Stop → Listen again keeps the port the board already knows.
            Settings = request with { Port = server.LocalEndPoint.Port };
        }
        server.Warning += w => Fail(Notice.Warning(w));
        server.Accepting += () => Note(Notice.Of("accepting", BoardScreen.Accepting));
        IPEndPoint bound = server.LocalEndPoint;
        IPAddress shown = address.Equals(IPAddress.Any) ? EndpointText.ReachableAddresses(address)[0] : address;
        _listeningOn = EndpointText.HostPort(bound);
        Note(_board
            ? Notice.Of("listeningBoard", $"listening on {_listeningOn} as the board does: listen({TcpServerOptions.BoardBacklog}), one client at a time", ("address", _listeningOn), ("backlog", TcpServerOptions.BoardBacklog))
            : Notice.Listening(_listeningOn));
        DrawOled(o => o.ServerWaiting(EndpointText.HostPort(new IPEndPoint(shown, bound.Port))));
        SetState("listening");
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override async Task StopAsync()
    {
        TcpServer? server;
        lock (_lifecycle)
        {
            server = _server;
            _server = null;
        }
        if (server is null)
            return;
        StopRepeat();
        await server.DisposeAsync().ConfigureAwait(false);
        Note(Notice.StoppedListening());
        _listeningOn = null;
        SetState("idle");
    }

    protected override void ValidateSend(SendRequest request)
    {
        TcpServer server = _server ?? throw new SessionException(Notice.NotRunning(), conflict: true);
        if (request.Target is { Length: > 0 } t && t != "all" && (!long.TryParse(t, out long id) || server.Find(id) is null))
            throw new SessionException(Notice.NoSuchClient(t));
        if (server.Connections.Count == 0)
            throw new SessionException(Notice.NoClients(), conflict: true);
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        TcpServer server = _server ?? throw new SessionException(Notice.NotRunning(), conflict: true);
        if (request.Target is { Length: > 0 } t && t != "all")
        {
            TcpConnection c = server.Find(long.Parse(t, System.Globalization.CultureInfo.InvariantCulture))
                ?? throw new SessionException(Notice.NoSuchClient(t));
            await c.SendAsync(data, cancellationToken).ConfigureAwait(false);
            return 1;
        }
        // Awaited (not TcpServer.Broadcast's fire-and-forget) so repeats and files pace themselves to the clients.
        TcpConnection[] all = server.Connections.ToArray();
        await Task.WhenAll(all.Select(c => SendQuietlyAsync(c, data, cancellationToken))).ConfigureAwait(false);
        return all.Length;
    }

    public void Kick(long clientId)
    {
        TcpConnection c = _server?.Find(clientId) ?? throw new SessionException(Notice.NoSuchClient(clientId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        c.Close();
    }

    public override object Details() => new
    {
        listeningOn = _listeningOn,
        board = _board,
        clients = _clients.Values.OrderBy(c => c.Id).Select(c => new
        {
            id = c.Id,
            address = EndpointText.HostPort(c.RemoteEndPoint),
            bytesIn = c.BytesIn,
            bytesOut = c.BytesOut,
            echo = c.Echo,
            since = c.ConnectedAt.ToUnixTimeMilliseconds(),
        }).ToArray(),
    };

    public override void OnConnected(TcpConnection connection)
    {
        connection.Echo = _echo;
        _clients[connection.Id] = connection;
        Note(Notice.ClientConnected(EndpointText.HostPort(connection.RemoteEndPoint), connection.Id));
        Changed();
    }

    public override void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        string peer = EndpointText.HostPort(connection.RemoteEndPoint);
        ForgetPeer(peer);
        Note(Notice.ClientDisconnected(peer, connection.Id, WhyClosed(reason), detail));
        _clients.TryRemove(connection.Id, out _);
        Changed();
    }

    public override void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop)
    {
        // Only this client's echo goes off; the others keep theirs. Its row in the Clients list turns it back on.
        Fail(Notice.EchoLoop(EndpointText.HostPort(connection.RemoteEndPoint), connection.Id, loop));
        Changed();
    }

    /// <summary>Turns one client's echo on or off (on again re-arms the loop guard).</summary>
    public void SetClientEcho(long clientId, bool on)
    {
        TcpConnection c = _server?.Find(clientId) ?? throw new SessionException(Notice.NoSuchClient(clientId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        c.Echo = on;
        Changed();
    }

    protected override byte[] DrawReceived(IBoardDisplay oled, string text) => oled.ServerReceived(text);
}
