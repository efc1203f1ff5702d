using SocketLab.Board.Oled;
using System.Globalization;
using System.Text;
using SocketLab.Core.Text;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Board;

namespace SocketLab.Web.Sessions;

/// <summary>
/// One tab of the page: a TCP server, TCP client or UDP socket that keeps running when the page
/// reloads. It owns a bounded log, counters, auto-reply rules, a repeat sender and (for TCP) a
/// virtual OLED, and publishes every change to the open pages.
/// </summary>
public abstract class Session : IAsyncDisposable
{
    /// <summary>
    /// Bytes of one chunk kept in the log, the page and the history; a longer chunk is counted in
    /// full but shown cut, so a flood costs bounded memory (measured: 16 KiB kept 1.3 GB RSS).
    /// </summary>
    public const int MaxLoggedBytes = 2 * 1024;

    // Enough for any character a supported encoding can split (UTF-8: 4 bytes, GB18030: 4).
    private const int DecoderTailBytes = 16;

    private readonly Lock _recordLock = new();
    private readonly Dictionary<(string Peer, LogDirection Dir), StreamTextDecoder> _decoders = [];
    private readonly IBoardDisplay? _oled;
    private byte[]? _glass;
    private CancellationTokenSource? _repeat;
    private string _encodingName = "utf-8";
    private Encoding _encoding = TextEncodings.Get("utf-8");
    private volatile string _state = "idle";

    protected Session(string id, SessionKind kind, SessionServices services)
    {
        Id = id;
        Kind = kind;
        Services = services;
        Log = new SessionLog(services.LogCapacity);
        Title = kind switch
        {
            SessionKind.TcpServer => "TCP Server",
            SessionKind.TcpClient => "TCP Client",
            SessionKind.Board => "虚拟掌控板",
            _ => "UDP",
        };
        if (services.Screens is { } make)
            _oled = make();
        Transcript = new TranscriptToggle(PlugRecorder);
    }

    public string Id { get; }
    public SessionKind Kind { get; }
    public string Title { get; set; }
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.Now;
    public SessionLog Log { get; }
    public TrafficCounters Counters { get; } = new();
    public AutoReplyRules Rules { get; } = new();
    public string State => _state;
    public string? LastError { get; private set; }
    public Encoding Encoding => _encoding;
    public string EncodingName => _encodingName;
    public abstract bool Echo { get; set; }
    public (long Sent, long Total)? RepeatProgress { get; private set; }
    protected SessionServices Services { get; }

    /// <summary>The Record toggle: the session's events as a JSONL transcript (see docs/transcripts.md).</summary>
    public TranscriptToggle Transcript { get; }

    /// <summary>The OLED's current image, or null when no display model is built in.</summary>
    public byte[]? OledGlass
    {
        get
        {
            if (_oled is null)
                return null;
            lock (_oled)
                return _glass ??= _oled.Glass();
        }
    }

    /// <summary>Connects a transcript recorder for this session's traffic (null disconnects it).</summary>
    protected abstract void PlugRecorder(TranscriptWriter? writer);

    /// <summary>Turns recording on or off; the file is <c>&lt;kind&gt;-&lt;id&gt;-&lt;yyyyMMdd-HHmmss&gt;.jsonl</c> in the transcripts folder.</summary>
    public void SetRecording(bool on)
    {
        if (on)
        {
            string kind = Kind switch
            {
                SessionKind.TcpServer => "tcp-server",
                SessionKind.TcpClient => "tcp-client",
                SessionKind.Board => "board",
                _ => "udp",
            };
            string name = $"{kind}-{Id}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.jsonl";
            if (Transcript.Start(Services.TranscriptDirectory, name))
                Note($"recording to {Transcript.Path}");
        }
        else if (Transcript.Stop())
        {
            Note($"recording stopped: {Transcript.Path}");
        }
        Changed();
    }

    public abstract Task StartAsync(StartRequest request, CancellationToken cancellationToken);
    public abstract Task StopAsync();

    /// <summary>Sends <paramref name="data"/> once; returns how many peers it went to.</summary>
    protected abstract Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken);

    /// <summary>Kind-specific extra state for the page (clients, endpoints…).</summary>
    public abstract object Details();

    public void SetEncoding(string name)
    {
        if (!TextEncodings.TryGet(name, out Encoding e))
            throw new SessionException($"unknown encoding '{name}' (use one of: {string.Join(", ", TextEncodings.Names)})");
        lock (_recordLock)
        {
            _encoding = e;
            _encodingName = name;
            _decoders.Clear();
        }
        Changed();
    }

    /// <summary>Builds the bytes (refusing bad input before anything goes out) and sends once or starts repeating.</summary>
    public async Task<int> SendAsync(SendRequest request, CancellationToken cancellationToken)
    {
        if (!request.TryBuild(Encoding, out byte[] data, out string? error))
            throw new SessionException(error!);
        if (request.RepeatMs < 0 || request.RepeatCount < 0)
            throw new SessionException("repeat interval and count must not be negative");
        ValidateSend(request);
        if (request.RepeatMs == 0)
            return await SendOnceAsync(data, request, cancellationToken).ConfigureAwait(false);
        if (request.RepeatMs < 10)
            throw new SessionException("repeat interval must be at least 10 ms");
        StartRepeat(data, request);
        return 0;
    }

    /// <summary>Streams a file to the peer(s) in chunks, publishing progress; returns the bytes sent.</summary>
    public async Task<long> SendFileAsync(Stream content, long? length, string name, SendRequest target, CancellationToken cancellationToken)
    {
        ValidateSend(target);
        byte[] chunk = new byte[FileChunkBytes];
        long sent = 0;
        long lastReport = 0;
        Note($"sending file {name} ({(length is { } l ? $"{l} bytes" : "size unknown")})");
        while (true)
        {
            int read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            await SendOnceAsync(chunk[..read], target, cancellationToken).ConfigureAwait(false);
            sent += read;
            if (sent - lastReport >= FileProgressBytes)
            {
                lastReport = sent;
                Publish(new { type = "file", session = Id, name, sent, total = length, done = false });
            }
        }
        Publish(new { type = "file", session = Id, name, sent, total = length, done = true });
        Note($"sent file {name}: {sent} bytes");
        return sent;
    }

    private const int FileChunkBytes = 8 * 1024;
    private const int FileProgressBytes = 64 * 1024;

    /// <summary>Lets a session refuse a send before it starts (wrong state, missing target).</summary>
    protected virtual void ValidateSend(SendRequest request) { }

    private void StartRepeat(byte[] data, SendRequest request)
    {
        StopRepeat();
        var cts = new CancellationTokenSource();
        _repeat = cts;
        RepeatProgress = (0, request.RepeatCount);
        Changed();
        _ = Task.Run(async () =>
        {
            long sent = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(request.RepeatMs));
            try
            {
                do
                {
                    await SendOnceAsync(data, request, cts.Token).ConfigureAwait(false);
                    sent++;
                    RepeatProgress = (sent, request.RepeatCount);
                    Publish(new { type = "repeat", session = Id, sent, total = request.RepeatCount, active = true });
                }
                while ((request.RepeatCount == 0 || sent < request.RepeatCount) && await timer.WaitForNextTickAsync(cts.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) { }
            catch (SessionException ex) { Fail($"repeat stopped: {ex.Message}"); }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or ObjectDisposedException) { Fail($"repeat stopped: {ex.Message}"); }
            finally
            {
                if (ReferenceEquals(_repeat, cts))
                {
                    _repeat = null;
                    RepeatProgress = null;
                }
                Publish(new { type = "repeat", session = Id, sent, total = request.RepeatCount, active = false });
                Changed();
            }
        });
    }

    public void StopRepeat()
    {
        CancellationTokenSource? cts = Interlocked.Exchange(ref _repeat, null);
        cts?.Cancel();
    }

    public string? SetRules(IReadOnlyList<AutoReplyRule> rules)
    {
        string? error = Rules.TrySet(rules);
        if (error is null)
            Changed();
        return error;
    }

    public void ClearLog()
    {
        Log.Clear();
        Counters.Reset();
        Publish(new { type = "cleared", session = Id });
        Changed();
    }

    /// <summary>Logs an echo: the same bytes as <paramref name="received"/>, so its text is reused, not decoded again.</summary>
    protected void RecordEcho(LogEntry received, ReadOnlySpan<byte> data)
    {
        Counters.AddTx(data.Length);
        Logged(Log.Append(LogDirection.Tx, received.Peer, received.Data, received.Text, data.Length, echo: true));
    }

    /// <summary>Logs bytes that crossed the wire, decoded split-safe per peer and direction.</summary>
    protected LogEntry Record(LogDirection dir, string peer, ReadOnlySpan<byte> data)
    {
        if (dir == LogDirection.Rx)
            Counters.AddRx(data.Length);
        else
            Counters.AddTx(data.Length);
        ReadOnlySpan<byte> kept = data.Length > MaxLoggedBytes ? data[..MaxLoggedBytes] : data;
        LogEntry entry;
        lock (_recordLock)
        {
            if (!_decoders.TryGetValue((peer, dir), out StreamTextDecoder? decoder))
                _decoders[(peer, dir)] = decoder = new StreamTextDecoder(_encoding);
            string text = decoder.Decode(kept);
            if (kept.Length < data.Length)
            {
                // Only the kept head is decoded (decoding a flood of binary is the costly part).
                // A fresh decoder primed with the chunk's tail holds a character split into the next read.
                text += "…";
                _decoders[(peer, dir)] = decoder = new StreamTextDecoder(_encoding);
                decoder.Decode(data[^Math.Min(data.Length, DecoderTailBytes)..]);
            }
            entry = Log.Append(dir, peer, kept.ToArray(), text, data.Length);
        }
        Logged(entry);
        return entry;
    }

    /// <summary>Forgets the half-decoded character of a peer that went away.</summary>
    protected void ForgetPeer(string peer)
    {
        lock (_recordLock)
        {
            _decoders.Remove((peer, LogDirection.Rx));
            _decoders.Remove((peer, LogDirection.Tx));
        }
    }

    public void Note(string text) => Logged(Log.Append(LogDirection.Info, "", [], text, 0));

    public void Fail(string text)
    {
        LastError = text;
        Logged(Log.Append(LogDirection.Error, "", [], text, 0));
    }

    protected void SetState(string state, string? error = null)
    {
        _state = state;
        if (error is not null)
            Fail(error);
        else if (state is "listening" or "connected" or "open")
            LastError = null;
        Changed();
    }

    /// <summary>Puts a frame the session drew itself (a board program's show()) on the glass, and on the pages.</summary>
    protected void ShowGlass(byte[] glass)
    {
        if (_oled is null)
            return;
        lock (_oled)
            _glass = glass;
        if (Interlocked.Exchange(ref _oledPublishPending, 1) == 0)
            _ = PublishOledAsync();
    }

    /// <summary>Switches the OLED to the firmware a start request names (none: keep the page's default).</summary>
    protected void UseFirmware(string? name)
    {
        if (name is null || _oled is null)
            return;
        if (!BoardFirmware.TryParse(name, out BoardFirmware? firmware))
            throw new SessionException($"firmware must be one of {string.Join(", ", BoardFirmware.Names)}, got '{name}'");
        lock (_oled)
            _oled.UseFirmware(firmware);
    }

    /// <summary>
    /// Runs one of the seed's screens on the board model (every message is drawn, in order, as the
    /// board would) and pushes the image to the pages at most every <see cref="OledPublishInterval"/>,
    /// so a flood costs the pages a few frames a second.
    /// </summary>
    protected void DrawOled(Func<IBoardDisplay, byte[]> screen)
    {
        if (_oled is null)
            return;
        lock (_oled)
            _glass = screen(_oled);
        if (Interlocked.Exchange(ref _oledPublishPending, 1) == 0)
            _ = PublishOledAsync();
    }

    public static readonly TimeSpan OledPublishInterval = TimeSpan.FromMilliseconds(50);
    private int _oledPublishPending;
    private long _oledPublishedAt;

    private async Task PublishOledAsync()
    {
        TimeSpan since = TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond - Interlocked.Read(ref _oledPublishedAt));
        if (since < OledPublishInterval)
            await Task.Delay(OledPublishInterval - since).ConfigureAwait(false);
        Interlocked.Exchange(ref _oledPublishPending, 0);
        Interlocked.Exchange(ref _oledPublishedAt, Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
        byte[]? glass;
        lock (_oled!)
            glass = _glass;
        if (glass is not null)
            Publish(new { type = "oled", session = Id, glass = Convert.ToBase64String(glass) });
    }

    protected void Changed() => Publish(new { type = "session", session = SessionView.Of(this, logTail: 0) });

    protected void Publish(object evt) => Services.Hub.Publish(evt);

    private void Logged(LogEntry entry)
    {
        Services.History.Logged(this, entry);
        Publish(new { type = "log", session = Id, entry = LogEntryView.Of(entry) });
    }

    public virtual async ValueTask DisposeAsync()
    {
        StopRepeat();
        await StopAsync().ConfigureAwait(false);
        Transcript.Stop();
        GC.SuppressFinalize(this);
    }
}
