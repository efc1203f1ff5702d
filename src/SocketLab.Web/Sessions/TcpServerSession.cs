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
    private volatile bool _echo = true;
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
            throw new SessionException("port must be 0–65535");
        IPAddress address = IPAddress.Any;
        if (request.Address is { Length: > 0 } text && !IPAddress.TryParse(text, out address!))
            throw new SessionException($"'{text}' is not an IP address of this machine");
        var options = new TcpServerOptions
        {
            BindAddress = address,
            Port = request.Port.Value,
            Connection = new TcpConnectionOptions { Echo = request.Echo ?? true },
        };
        var server = request.Board
            ? new TcpServer(options.AsBoard(), new ObserverFanout(Observer, new BoardStrictObserver(Note)))
            : new TcpServer(options, Observer);
        lock (_lifecycle)
        {
            if (_server is not null)
                throw new SessionException("already listening; stop first", conflict: true);
            _echo = request.Echo ?? true;
            _board = request.Board;
            try
            {
                server.Start();
            }
            catch (NetworkException ex)
            {
                SetState("idle", ex.Message);
                throw new SessionException(ex.Message);
            }
            _server = server;
        }
        server.Warning += Fail;
        server.Accepting += () => Note(BoardScreen.Accepting);
        IPEndPoint bound = server.LocalEndPoint;
        IPAddress shown = address.Equals(IPAddress.Any) ? EndpointText.ReachableAddresses(address)[0] : address;
        _listeningOn = EndpointText.HostPort(bound);
        Note(_board ? $"listening on {_listeningOn} as the board does: listen({TcpServerOptions.BoardBacklog}), one client at a time" : $"listening on {_listeningOn}");
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
        Note("stopped listening");
        _listeningOn = null;
        SetState("idle");
    }

    protected override void ValidateSend(SendRequest request)
    {
        TcpServer server = _server ?? throw new SessionException("not listening", conflict: true);
        if (request.Target is { Length: > 0 } t && t != "all" && (!long.TryParse(t, out long id) || server.Find(id) is null))
            throw new SessionException($"no connected client with id {t}");
        if (server.Connections.Count == 0)
            throw new SessionException("no client is connected", conflict: true);
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        TcpServer server = _server ?? throw new SessionException("not listening", conflict: true);
        if (request.Target is { Length: > 0 } t && t != "all")
        {
            TcpConnection c = server.Find(long.Parse(t, System.Globalization.CultureInfo.InvariantCulture))
                ?? throw new SessionException($"client {t} has gone");
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
        TcpConnection c = _server?.Find(clientId) ?? throw new SessionException($"no connected client with id {clientId}");
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
            since = c.ConnectedAt.ToUnixTimeMilliseconds(),
        }).ToArray(),
    };

    public override void OnConnected(TcpConnection connection)
    {
        connection.Echo = _echo;
        _clients[connection.Id] = connection;
        Note($"{EndpointText.PythonTuple(connection.RemoteEndPoint)} connected (client {connection.Id})");
        Changed();
    }

    public override void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        string peer = EndpointText.HostPort(connection.RemoteEndPoint);
        ForgetPeer(peer);
        string why = reason switch
        {
            CloseReason.RemoteClosed => "closed by the client",
            CloseReason.Reset => detail ?? "reset",
            CloseReason.Rejected => $"rejected: {detail}",
            _ => "closed here",
        };
        Note($"{EndpointText.PythonTuple(connection.RemoteEndPoint)} disconnected: {why}");
        _clients.TryRemove(connection.Id, out _);
        Changed();
    }

    protected override byte[] DrawReceived(IBoardDisplay oled, string text) => oled.ServerReceived(text);
}
