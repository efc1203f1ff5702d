using System.Net;
using SocketLab.Core.Net;
using SocketLab.Core.Relay;
using SocketLab.Core.Transcripts;

namespace SocketLab.Web.Sessions;

/// <summary>
/// The relay on the page (socketlab relay): clients connect to Address:Port, each is relayed to Host:RemotePort,
/// and the log shows both directions — "→ device" as sent (发), "← device" as received (收) — with opens, FINs,
/// resets and closes as notes. It sends nothing of its own.
/// </summary>
public sealed class RelaySession(string id, SessionServices services) : Session(id, SessionKind.Relay, services), IRelayObserver
{
    private readonly Lock _lifecycle = new();
    private RelayServer? _relay;
    private volatile RelayTranscriptRecorder? _recorder;
    private string? _listeningOn;
    private string? _target;

    public override bool Echo
    {
        get => false;
        set { }
    }

    protected override void PlugRecorder(TranscriptWriter? writer) =>
        _recorder = writer is null ? null : new RelayTranscriptRecorder(writer);

    public override async Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        if (request.Port is not (>= 0 and <= 65535))
            throw new SessionException(Notice.PortRange(0));
        IPAddress address = IPAddress.Any;
        if (request.Address is { Length: > 0 } text && !IPAddress.TryParse(text, out address!))
            throw new SessionException(Notice.NotAnAddress(text));
        string host = request.Host?.Trim() ?? "";
        if (host.Length == 0)
            throw new SessionException(Notice.RemoteHostMissing());
        if (request.RemotePort is not (>= 1 and <= 65535))
            throw new SessionException(Notice.RemotePortRange());
        var relay = new RelayServer(new RelayOptions
        {
            Listen = new IPEndPoint(address, request.Port.Value),
            DeviceHost = host,
            DevicePort = request.RemotePort.Value,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        }, this);
        lock (_lifecycle)
        {
            if (_relay is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            try
            {
                relay.Start();
            }
            catch (NetworkException ex)
            {
                Notice failed = Notice.ListenFailed(EndpointText.HostPort(new IPEndPoint(address, request.Port.Value)), ex);
                SetState("idle", failed);
                throw new SessionException(failed);
            }
            _relay = relay;
            Settings = request with { Port = relay.LocalEndPoint.Port, Host = host };
        }
        _listeningOn = EndpointText.HostPort(relay.LocalEndPoint);
        _target = new HostPort(host, request.RemotePort.Value).ToString();
        Note(Notice.RelayListening(_listeningOn, _target));
        SetState("listening");
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public override async Task StopAsync()
    {
        RelayServer? relay;
        lock (_lifecycle)
        {
            relay = _relay;
            _relay = null;
        }
        if (relay is null)
            return;
        await relay.DisposeAsync().ConfigureAwait(false);
        _listeningOn = null;
        Note(Notice.StoppedListening());
        SetState("idle");
    }

    protected override void ValidateSend(SendRequest request) => throw new SessionException(Notice.RelaySends());

    protected override Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken) => throw new SessionException(Notice.RelaySends());

    public override object Details() => new RelayDetails(_listeningOn, _target);

    private static string Peer(RelayConnection c) => $"#{c.Id} {EndpointText.HostPort(c.Client)}";

    public void OnOpened(RelayConnection c)
    {
        _recorder?.OnOpened(c);
        Note(Notice.RelayOpened(Peer(c), EndpointText.HostPort(c.Device!)));
    }

    public void OnUpstreamFailed(RelayConnection c, string reason) => Fail(Notice.RelayDeviceFailed(Peer(c), reason));

    public void OnData(RelayConnection c, RelayDirection direction, ReadOnlySpan<byte> data, bool dropped)
    {
        _recorder?.OnData(c, direction, data, dropped);
        Record(direction == RelayDirection.ToDevice ? LogDirection.Tx : LogDirection.Rx, Peer(c), data);
    }

    public void OnHalfClosed(RelayConnection c, RelayDirection direction) =>
        Note(Notice.RelayFin(Peer(c), fromClient: direction == RelayDirection.ToDevice));

    public void OnReset(RelayConnection c, RelayDirection direction) =>
        Note(Notice.RelayReset(Peer(c), fromClient: direction == RelayDirection.ToDevice));

    public void OnClosed(RelayConnection c)
    {
        _recorder?.OnClosed(c);
        ForgetPeer(Peer(c));
        if (c.Device is not null)
            Note(Notice.RelayClosed(Peer(c), c.BytesToDevice, c.BytesToClient));
    }
}
