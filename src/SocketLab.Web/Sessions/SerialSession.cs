using System.IO.Ports;
using SocketLab.Core.Capture;
using SocketLab.Core.Serial;
using SocketLab.Core.Transcripts;

namespace SocketLab.Web.Sessions;

/// <summary>
/// A serial port on the page (socketlab serial): what the device sends in the log and on the OLED,
/// the send box writes to it; a port that goes away (USB unplugged) stops the session with a notice, log and transcript kept.
/// </summary>
public sealed class SerialSession(string id, SessionServices services) : Session(id, SessionKind.Serial, services), ISerialObserver
{
    private readonly Lock _lifecycle = new();
    private volatile SerialLink? _link;
    private volatile SerialTranscriptRecorder? _recorder;
    private volatile ReceivedFiles? _saver;
    private Task? _loop;
    private volatile bool _echo;

    public override bool Echo
    {
        get => _echo;
        set
        {
            _echo = value;
            Changed();
        }
    }

    protected override void PlugRecorder(TranscriptWriter? writer)
    {
        var recorder = writer is null ? null : new SerialTranscriptRecorder(writer);
        _recorder = recorder;
        if (recorder is not null && _link is { } link)
            recorder.OnOpened(link);
    }

    protected override void PlugSaver(ReceivedFiles? saver) => _saver = saver;

    public override Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        UseFirmware(request.Firmware);
        string port = request.Device?.Trim() ?? "";
        if (port.Length == 0)
            throw new SessionException(Notice.SerialPortMissing());
        SerialSettings settings = Resolve(port, request);
        lock (_lifecycle)
        {
            if (_link is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            try
            {
                _link = SerialLink.Open(settings);
            }
            catch (SerialPortException ex)
            {
                Notice failed = Notice.SerialOpenFailed(port, ex);
                SetState("idle", failed);
                throw new SessionException(failed);
            }
        }
        Settings = request with { Device = port };
        _echo = request.Echo ?? false;
        _recorder?.OnOpened(_link);
        Note(Notice.SerialOpen(port, settings.Describe()));
        SetState("open");
        SerialLink link = _link;
        _loop = Task.Run(() => link.RunAsync(this));
        return Task.CompletedTask;
    }

    private static SerialSettings Resolve(string port, StartRequest r)
    {
        var s = new SerialSettings(port);
        if (r.Baud is { } baud)
            s = SerialSettings.TryParseBaud(baud.ToString(System.Globalization.CultureInfo.InvariantCulture), out _) ? s with { Baud = baud } : throw Bad("baud rate must be from 50 to 4000000");
        if (r.DataBits is { } bits)
            s = bits is >= 5 and <= 8 ? s with { DataBits = bits } : throw Bad("data bits must be 5, 6, 7 or 8");
        if (r.Parity is { Length: > 0 } parity)
            s = Enum.TryParse(parity, ignoreCase: true, out Parity p) && Enum.IsDefined(p) && !int.TryParse(parity, out _) ? s with { Parity = p } : throw Bad("parity must be none, odd, even, mark or space");
        if (r.StopBits is { Length: > 0 } stop)
            s = SerialSettings.TryParseStopBits(stop, out StopBits sb) ? s with { StopBits = sb } : throw Bad("stop bits must be 1, 1.5 or 2");
        if (r.Flow is { Length: > 0 } flow)
            s = Enum.TryParse(flow, ignoreCase: true, out SerialFlow f) && Enum.IsDefined(f) && !int.TryParse(flow, out _) ? s with { Flow = f } : throw Bad("flow control must be none, rtscts or xonxoff");
        return s;
    }

    private static SessionException Bad(string detail) => new(Notice.SerialSettingsBad(detail));

    public override async Task StopAsync()
    {
        SerialLink? link = _link;
        if (link is null)
            return;
        StopRepeat();
        link.Close();
        if (_loop is { } loop)
            await loop.ConfigureAwait(false);
    }

    protected override void ValidateSend(SendRequest request)
    {
        if (_link is null)
            throw new SessionException(Notice.NotRunning(), conflict: true);
    }

    protected override async Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken)
    {
        SerialLink link = _link ?? throw new SessionException(Notice.NotRunning(), conflict: true);
        await link.SendAsync(data, this, cancellationToken).ConfigureAwait(false);
        return 1;
    }

    public override object Details() => new SerialDetails(_link?.Port ?? Settings?.Device, _link?.Settings.Describe());

    public void OnReceived(SerialLink link, ReadOnlySpan<byte> data)
    {
        _recorder?.OnReceived(link, data);
        _saver?.OnReceived(data);
        LogEntry rx = Record(LogDirection.Rx, link.Port, data);
        DrawOled(o => o.ClientReceived(rx.Text));
        if (_echo)
        {
            RecordEcho(rx, data);
            _ = SendQuietlyAsync(link, data.ToArray());
        }
        foreach (byte[] reply in OnMessages(link.Port, data, rx.Text))
            _ = SendQuietlyAsync(link, reply);
    }

    public void OnSent(SerialLink link, ReadOnlySpan<byte> data)
    {
        _recorder?.OnSent(link, data);
        Record(LogDirection.Tx, link.Port, data);
    }

    public void OnClosed(SerialLink link, SerialCloseReason reason, string? detail)
    {
        _recorder?.OnClosed(link, reason, detail);
        ForgetPeer(link.Port);
        lock (_lifecycle)
            _link = null;
        _ = link.DisposeAsync();
        if (reason == SerialCloseReason.Lost)
            SetState("idle", Notice.SerialLost(link.Port));
        else
        {
            Note(Notice.SerialClosed(link.Port));
            SetState("idle");
        }
    }

    private static async Task SendQuietlyAsync(SerialLink link, byte[] data)
    {
        try
        {
            await link.SendAsync(data).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // The port is going away; its read loop says so.
        }
    }
}
