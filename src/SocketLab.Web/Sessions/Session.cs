using System.Globalization;
using System.Text;
using SocketLab.Board.Oled;
using SocketLab.Core.Capture;
using SocketLab.Core.Checksums;
using SocketLab.Core.Framing;
using SocketLab.Core.Presets;
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
    private FrameSpec _framing = FrameSpec.Raw;
    private readonly Dictionary<string, IFrameDecoder> _ruleFramers = [];

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
        Transcript = new TranscriptToggle(PlugRecorder, RecordingFailed);
    }

    public string Id { get; }
    public SessionKind Kind { get; }
    /// <summary>The tab's name; until the user names it, the kind's English name (the page shows its own words then, see <see cref="Named"/>).</summary>
    public string Title { get; private set; }

    public bool Named { get; private set; }
    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.Now;
    public SessionLog Log { get; }
    public TrafficCounters Counters { get; } = new();
    public AutoReplyRules Rules { get; } = new();

    /// <summary>The session's field-macro counters, shared by its sends and its rules' replies.</summary>
    public MacroContext Macros { get; } = new();
    public string State => _state;
    public Notice? LastError { get; private set; }

    /// <summary>What the session was last started with, so a reloaded page shows the settings in use.</summary>
    public StartRequest? Settings { get; protected set; }

    /// <summary>How received bytes are cut into messages for auto-reply rules (FrameSpec text; "raw" = per chunk).</summary>
    public string Framing => _framing.Text;
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

    /// <summary>The kind as files are named: tcp-server-s1-….jsonl, udp-s3-….bin.</summary>
    private string FileKind => Kind switch
    {
        SessionKind.TcpServer => "tcp-server",
        SessionKind.TcpClient => "tcp-client",
        SessionKind.Board => "board",
        _ => "udp",
    };

    /// <summary>Connects a file that gets every received byte (null disconnects it). Board sessions have no sockets of their own: nothing.</summary>
    protected virtual void PlugSaver(ReceivedFiles? saver) { }

    private ReceivedFiles? _saver;

    /// <summary>Where "Save received data" writes (or last wrote), and whether it is on now.</summary>
    public string? SavedPath { get; private set; }
    public bool Saving => Volatile.Read(ref _saver) is not null;

    /// <summary>
    /// "Save received data": every byte peers send, straight to <c>received/&lt;kind&gt;-&lt;id&gt;-&lt;time&gt;.bin</c>
    /// beside the transcripts, not through the log (a large receive costs no memory); the page downloads it.
    /// A failed write (disk full) turns it off with an error line; the session goes on.
    /// </summary>
    public void SetSaving(bool on)
    {
        if (on && _saver is null)
        {
            string folder = Path.Combine(Path.GetDirectoryName(Services.TranscriptDirectory.TrimEnd(Path.DirectorySeparatorChar)) ?? Services.TranscriptDirectory, "received");
            string file = Path.Combine(folder, $"{FileKind}-{Id}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.bin");
            ReceivedFiles saver;
            try
            {
                Directory.CreateDirectory(folder);
                saver = new ReceivedFiles(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SessionException(Notice.Of("saveFailed", $"cannot write '{file}': {ex.Message}", ("path", file), ("error", ex.Message)));
            }
            saver.Failed += why =>
            {
                if (Interlocked.CompareExchange(ref _saver, null, saver) == saver)
                {
                    PlugSaver(null);
                    saver.Dispose();
                    Fail(Notice.Of("savingFailed", why, ("path", saver.Path), ("error", saver.Failure ?? "")));
                    Changed();
                }
            };
            SavedPath = saver.Path;
            _saver = saver;
            PlugSaver(saver);
            Note(Notice.Of("saving", $"saving received data to {saver.Path}", ("path", saver.Path)));
        }
        else if (!on && Interlocked.Exchange(ref _saver, null) is { } saver)
        {
            PlugSaver(null);
            saver.Dispose();
            Note(Notice.Of("savedTo", $"saved {saver.BytesSaved} bytes to {saver.Path}", ("path", saver.Path), ("bytes", saver.BytesSaved)));
        }
        Changed();
    }

    /// <summary>Turns recording on or off; the file is <c>&lt;kind&gt;-&lt;id&gt;-&lt;yyyyMMdd-HHmmss&gt;.jsonl</c> in the transcripts folder.</summary>
    public void SetRecording(bool on)
    {
        if (on)
        {
            string name = $"{FileKind}-{Id}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.jsonl";
            if (Transcript.Start(Services.TranscriptDirectory, name))
                Note(Notice.Recording(Transcript.Path!));
        }
        else if (Transcript.Stop())
        {
            Note(Notice.RecordingStopped(Transcript.Path!));
        }
        Changed();
    }

    /// <summary>
    /// The Record toggle turned itself off because a write failed (disk full): an error line in the log
    /// (notice <c>recordingFailed</c> with the path, the error and how many events were written) and the
    /// session's <c>recording</c> false; the session goes on serving.
    /// </summary>
    private void RecordingFailed(TranscriptWriter writer, string why)
    {
        Fail(Notice.Of("recordingFailed", why,
            ("path", writer.Path), ("error", writer.Failure ?? ""), ("events", writer.EventsWritten)));
        Changed();
    }

    public abstract Task StartAsync(StartRequest request, CancellationToken cancellationToken);
    public abstract Task StopAsync();

    /// <summary>Sends <paramref name="data"/> once; returns how many peers it went to.</summary>
    protected abstract Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken);

    /// <summary>Kind-specific extra state for the page (clients, endpoints…).</summary>
    public abstract object Details();

    /// <summary>Switches the encoding and decodes the lines already logged again with it, so the whole log reads one way.</summary>
    public void SetEncoding(string name)
    {
        if (!TextEncodings.TryGet(name, out Encoding e))
            throw new SessionException(Notice.UnknownEncoding(name, TextEncodings.Names));
        lock (_recordLock)
        {
            if (name == _encodingName)
                return;
            _encoding = e;
            _encodingName = name;
            _decoders.Clear();
            var again = new Dictionary<(string, LogDirection), StreamTextDecoder>();
            Log.Rewrite(entry =>
            {
                if (entry.Dir is not (LogDirection.Rx or LogDirection.Tx))
                    return entry;
                if (!again.TryGetValue((entry.Peer, entry.Dir), out StreamTextDecoder? decoder))
                    again[(entry.Peer, entry.Dir)] = decoder = new StreamTextDecoder(e);
                string text = decoder.Decode(entry.Data);
                if (entry.Truncated)
                {
                    text += "…";
                    again[(entry.Peer, entry.Dir)] = new StreamTextDecoder(e);
                }
                return entry with { Text = text };
            });
        }
        Publish(new { type = "relog", session = Id });
        Changed();
    }

    /// <summary>Sets how received bytes are cut into messages before auto-reply rules look at them.</summary>
    public void SetFraming(string text)
    {
        if (!FrameSpec.TryParse(text, out FrameSpec? spec, out string? error))
            throw new SessionException(Notice.BadFraming(text, error));
        lock (_ruleFramers)
        {
            _framing = spec;
            _ruleFramers.Clear();
        }
        Changed();
    }

    public void Rename(string title)
    {
        Title = title.Length > 60 ? title[..60] : title;
        Named = true;
        Services.History.SessionRenamed(this);
        Changed();
    }

    /// <summary>The checksum received messages must end with, when "verify" is on.</summary>
    public (Checksum Checksum, ByteOrder? Order)? Verify { get; private set; }

    /// <summary>Turns checking the trailing checksum of each received message on (an algorithm's name) or off (null or "none").</summary>
    public void SetVerify(string? checksum, string? order)
    {
        if (!Checksum.TryParse(checksum, order, out Checksum? c, out ByteOrder? o, out bool badOrder, out _))
            throw new SessionException(badOrder ? Notice.BadOrder(order!) : Notice.UnknownChecksum(checksum!));
        Verify = c is null ? null : (c, o);
        Changed();
    }

    /// <summary>
    /// Received bytes as the messages the session's framing cuts them into (each chunk as it came
    /// when framing is raw): a message whose trailing checksum is wrong gets an error line in the log
    /// when "verify" is on, and auto-reply rules answer each message (two coalesced "ping" lines get
    /// two replies). Returns the replies to send.
    /// </summary>
    protected List<byte[]> OnMessages(string peer, ReadOnlySpan<byte> data, string chunkText)
    {
        var replies = new List<byte[]>();
        var verify = Verify;
        if (!Rules.Any && verify is null)
            return replies;
        DateTimeOffset now = DateTimeOffset.Now;
        Encoding encoding = Encoding;
        void Message(ReadOnlySpan<byte> frame, string? text)
        {
            if (verify is { } v && !v.Checksum.Verify(frame, v.Order, out byte[] expected, out byte[] actual))
                Fail(Notice.Of("badChecksum",
                    $"{v.Checksum.Name} wrong in a message from {peer}: it ends {HexDump.Pairs(actual)}, should be {(expected.Length > 0 ? HexDump.Pairs(expected) : "longer")}",
                    ("peer", peer), ("checksum", v.Checksum.Name), ("actual", HexDump.Pairs(actual)), ("expected", expected.Length > 0 ? HexDump.Pairs(expected) : "—"),
                    ("frame", HexDump.Pairs(frame[..Math.Min(frame.Length, 32)]) + (frame.Length > 32 ? " …" : ""))));
            if (Rules.Any && Rules.Answer(frame, text ?? encoding.GetString(frame), encoding, now, Macros) is { } reply)
                replies.Add(reply);
        }
        if (_framing.IsRaw)
        {
            Message(data, chunkText);
            return replies;
        }
        // One framer per peer, fed under its own lock: a peer whose rules are slow holds up no other peer.
        IFrameDecoder? framer;
        lock (_ruleFramers)
        {
            if (!_ruleFramers.TryGetValue(peer, out framer))
                _ruleFramers[peer] = framer = _framing.CreateDecoder(64 * 1024);
        }
        lock (framer)
        {
            try
            {
                framer.Feed(data, frame => Message(frame, null));
            }
            catch (FrameTooLargeException)
            {
                framer.Reset();
            }
        }
        return replies;
    }

    /// <summary>Builds the bytes (refusing bad input before anything goes out) and sends once or starts repeating.</summary>
    public async Task<int> SendAsync(SendRequest request, CancellationToken cancellationToken)
    {
        if (!request.TryBuild(Encoding, out byte[] data, out Notice? error, Macros))
            throw new SessionException(error);
        if (request.RepeatMs < 0 || request.RepeatCount < 0)
            throw new SessionException(Notice.RepeatNegative());
        ValidateSend(request);
        if (request.RepeatMs == 0)
            return await SendOnceAsync(data, request, cancellationToken).ConfigureAwait(false);
        if (request.RepeatMs < 10)
            throw new SessionException(Notice.RepeatTooFast(10));
        StartRepeat(data, request);
        return 0;
    }

    /// <summary>Streams a file to the peer(s) in chunks, publishing progress; returns the bytes sent.</summary>
    public async Task<long> SendFileAsync(Stream content, long? length, string name, SendRequest target, CancellationToken cancellationToken,
        int chunkBytes = FileChunkBytes, int delayMs = 0)
    {
        ValidateSend(target);
        if (chunkBytes is < 1 or > 1024 * 1024)
            throw new SessionException(Notice.Of("badChunk", "the chunk size must be from 1 byte to 1 MiB"));
        if (delayMs is < 0 or > 60_000)
            throw new SessionException(Notice.Of("badDelay", "the delay between chunks must be from 0 to 60000 ms"));
        byte[] chunk = new byte[chunkBytes];
        long sent = 0;
        long lastReport = 0;
        Note(Notice.SendingFile(name, length));
        while (true)
        {
            int read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            await SendOnceAsync(chunk[..read], target, cancellationToken).ConfigureAwait(false);
            sent += read;
            if (delayMs > 0)
                await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            if (sent - lastReport >= FileProgressBytes)
            {
                lastReport = sent;
                Publish(new { type = "file", session = Id, name, sent, total = length, done = false });
            }
        }
        Publish(new { type = "file", session = Id, name, sent, total = length, done = true });
        Note(Notice.SentFile(name, sent));
        return sent;
    }

    public const int FileChunkBytes = 8 * 1024;
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
                    // Fields change from one repeat to the next ({{counter}}, {{time}}): build each send anew.
                    if (sent > 0 && request.Macros && request.TryBuild(Encoding, out byte[] again, out _, Macros))
                        data = again;
                    await SendOnceAsync(data, request, cts.Token).ConfigureAwait(false);
                    sent++;
                    if (!ReferenceEquals(_repeat, cts))
                        break;
                    RepeatProgress = (sent, request.RepeatCount);
                    Publish(new { type = "repeat", session = Id, sent, total = request.RepeatCount, active = true });
                }
                while ((request.RepeatCount == 0 || sent < request.RepeatCount) && await timer.WaitForNextTickAsync(cts.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) { }
            catch (SessionException ex) { Fail(Notice.RepeatStopped(ex.Notice)); }
            catch (SocketLab.Core.Tcp.ConnectionClosedException ex) { Fail(Notice.RepeatStopped(Notice.SendAborted(ex.Message))); }
            finally
            {
                // Stopped by the user (StopRepeat took it) or ran out: either way nothing repeats now,
                // unless a newer repeat has already replaced this one.
                Interlocked.CompareExchange(ref _repeat, null, cts);
                if (_repeat is null)
                {
                    RepeatProgress = null;
                    Publish(new { type = "repeat", session = Id, sent, total = request.RepeatCount, active = false });
                    Changed();
                }
            }
        });
    }

    private readonly ReplyWatch _replies = new();
    private CancellationTokenSource? _listRun;

    /// <summary>The command list running now: its name, round and step (1-based), or null.</summary>
    public (string Name, int Round, int Step, int Steps)? ListRun { get; private set; }

    /// <summary>
    /// Runs a command list over this session (to <paramref name="target"/>'s client(s) or remote): each
    /// command sent, its expected reply waited for in what arrives, a line in the log per step, stopping at
    /// the first failure. Another run or Stop ends this one.
    /// </summary>
    public void RunList(CommandList list, int? repeat, SendRequest target)
    {
        ValidateSend(target);
        StopList();
        var cts = new CancellationTokenSource();
        _listRun = cts;
        ListRun = (list.Name, 1, 1, list.Commands.Count);
        Changed();
        _ = Task.Run(async () =>
        {
            var runner = new CommandListRunner(async (bytes, ct) => await SendOnceAsync(bytes, target, ct).ConfigureAwait(false), _replies, Encoding, Macros);
            bool ok = false;
            try
            {
                ok = await runner.RunAsync(list, repeat, step =>
                {
                    string name = step.Step.Name.Length > 0 ? step.Step.Name : $"#{step.Index + 1}";
                    var args = new (string, object?)[]
                    {
                        ("list", list.Name), ("round", step.Round), ("step", step.Index + 1), ("steps", list.Commands.Count), ("name", name),
                        ("ms", Math.Round(step.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
                    };
                    if (step.Ok)
                        Note(Notice.Of(step.Reply is null ? "listStep" : "listStepReply",
                            $"{list.Name} {step.Round}.{step.Index + 1}/{list.Commands.Count} {name}: sent{(step.Reply is null ? "" : $", reply in {step.Elapsed.TotalMilliseconds:0} ms")}", args));
                    else
                        Fail(Notice.Of("listStepFailed", $"{list.Name} {step.Round}.{step.Index + 1}/{list.Commands.Count} {name}: {step.Failure}", [.. args, ("detail", step.Failure)]));
                    if (ReferenceEquals(_listRun, cts))
                        ListRun = (list.Name, step.Round, Math.Min(step.Index + 2, list.Commands.Count), list.Commands.Count);
                }, cts.Token).ConfigureAwait(false);
                if (ok)
                    Note(Notice.Of("listPassed", $"{list.Name}: every step passed", ("list", list.Name)));
            }
            catch (OperationCanceledException)
            {
                Note(Notice.Of("listStopped", $"{list.Name}: stopped", ("list", list.Name)));
            }
            catch (SessionException ex)
            {
                Fail(Notice.ListStopped(list.Name, ex.Notice));
            }
            finally
            {
                if (Interlocked.CompareExchange(ref _listRun, null, cts) == cts)
                {
                    ListRun = null;
                    Changed();
                }
                cts.Dispose();
            }
        });
    }

    public void StopList()
    {
        if (Interlocked.Exchange(ref _listRun, null) is { } cts)
        {
            cts.Cancel();
            ListRun = null;
            Changed();
        }
    }

    public void StopRepeat()
    {
        CancellationTokenSource? cts = Interlocked.Exchange(ref _repeat, null);
        if (cts is null)
            return;
        cts.Cancel();
        RepeatProgress = null;
        Changed();
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
        {
            Counters.AddRx(data.Length);
            if (_listRun is not null)
                _replies.Feed(data);
        }
        else
            Counters.AddTx(data.Length);
        ReadOnlySpan<byte> kept = data.Length > MaxLoggedBytes ? data[..MaxLoggedBytes] : data;
        LogEntry entry;
        lock (_recordLock)
        {
            if (!_decoders.TryGetValue((peer, dir), out StreamTextDecoder? decoder))
                _decoders[(peer, dir)] = decoder = new StreamTextDecoder(_encoding);
            string text = decoder.Decode(kept);
            // What we send goes out as whole messages: bytes that do not end a character belong to this
            // line, not to the start of the next one (a CRC after text, say). Received bytes stay split-safe.
            if (dir == LogDirection.Tx && kept.Length == data.Length)
                text += decoder.Flush();
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

    public void Note(Notice notice) => Logged(Log.Append(LogDirection.Info, "", [], notice.Text, 0, notice: notice));

    public void Fail(Notice notice)
    {
        LastError = notice;
        Logged(Log.Append(LogDirection.Error, "", [], notice.Text, 0, notice: notice));
    }

    protected void SetState(string state, Notice? error = null)
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
            throw new SessionException(Notice.BadFirmware(name));
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
        StopList();
        await StopAsync().ConfigureAwait(false);
        Transcript.Stop();
        if (Interlocked.Exchange(ref _saver, null) is { } saver)
        {
            PlugSaver(null);
            saver.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
