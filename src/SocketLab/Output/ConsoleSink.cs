using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Output;

/// <summary>
/// Writes events to the console on its own thread, so a slow terminal never stalls a socket.
/// Data events are admitted while less than <see cref="MaxPendingBytes"/> waits to be shown;
/// beyond that they are skipped (and counted) — the display falls behind, the echo does not.
/// At most <see cref="MaxPendingEvents"/> events of any kind wait; more are dropped and counted
/// ("N lines dropped"), so a stdout nobody reads (a full pipe) costs bounded memory. Stopping
/// waits for the console at most <see cref="StopWait"/>: a stuck stdout never holds the process.
/// </summary>
public sealed class ConsoleSink : IAsyncDisposable
{
    public const long MaxPendingBytes = 8 * 1024 * 1024;
    public const int MaxPendingEvents = 10_000;
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly Channel<OutputEvent> _channel = Channel.CreateUnbounded<OutputEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DisplayOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly Stream _outStream;
    private readonly Utf8JsonWriter? _json;
    private readonly Dictionary<long, StreamState> _streams = [];
    private readonly Task _writer;
    private long _pendingBytes;
    private long _skippedEvents;
    private long _skippedBytes;
    private int _pendingEvents;
    private long _droppedEvents;
    private volatile bool _closesDropped;

    public ConsoleSink(DisplayOptions options, Stream? stdout = null, TextWriter? stderr = null)
    {
        _options = options;
        _outStream = stdout ?? OpenStandardOutput();
        _out = new StreamWriter(_outStream, new UTF8Encoding(false), 64 * 1024) { AutoFlush = false, NewLine = "\n" };
        _err = stderr ?? Console.Error;
        if (options.Json)
            _json = new Utf8JsonWriter(_outStream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _writer = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public DisplayOptions Options => _options;

    /// <summary>
    /// File descriptor 1 as a plain stream. Not <see cref="Console.OpenStandardOutput()"/>: on Unix its writes
    /// hold a lock every console write shares, so a stdout pipe nobody reads would also block stderr, the
    /// "forced stop" line and with it the second Ctrl+C. Except for a regular file (<c>&gt; log 2&gt;&amp;1</c>): a
    /// FileStream writes there at its own position (pwrite) and stderr's writes, at the file's shared offset, would
    /// overwrite what it wrote; and a file never blocks a write for long.
    /// </summary>
    private static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows())
            return Console.OpenStandardOutput();
        try
        {
            var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!stream.CanSeek)
                return stream;
            stream.Dispose();
            return Console.OpenStandardOutput();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return Console.OpenStandardOutput();
        }
    }

    /// <summary>Queues a data event, copying the bytes; skipped when the display is too far behind.</summary>
    public void Data(EventKind kind, TcpConnection connection, ReadOnlySpan<byte> data) =>
        Data(kind, connection.Id, connection.RemoteEndPoint, data);

    /// <summary>Queues a data event of connection (or UDP peer, or serial port) <paramref name="id"/>, copying the bytes.</summary>
    public void Data(EventKind kind, long id, System.Net.IPEndPoint? remote, ReadOnlySpan<byte> data) => Data(kind, id, remote, data, label: null);

    /// <summary>
    /// A data event shown with <paramref name="label"/> in place of the usual direction marker (the relay's
    /// "→ device " and "← device "); JSON tells the direction by the event's kind as ever.
    /// </summary>
    public void Data(EventKind kind, long id, System.Net.IPEndPoint? remote, ReadOnlySpan<byte> data, string? label)
    {
        if (_options.Quiet)
            return;
        if (Interlocked.Add(ref _pendingBytes, data.Length) > MaxPendingBytes)
        {
            Interlocked.Add(ref _pendingBytes, -data.Length);
            Interlocked.Increment(ref _skippedEvents);
            Interlocked.Add(ref _skippedBytes, data.Length);
            return;
        }
        byte[] copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        Post(new OutputEvent { Kind = kind, ConnectionId = id, Remote = remote, Buffer = copy, Length = data.Length, Text = label });
    }

    public void Post(OutputEvent e)
    {
        if (Interlocked.Increment(ref _pendingEvents) > MaxPendingEvents || !_channel.Writer.TryWrite(e))
        {
            Interlocked.Decrement(ref _pendingEvents);
            Interlocked.Increment(ref _droppedEvents);
            if (e.Kind == EventKind.Closed)
                _closesDropped = true;
            Release(e);
        }
    }

    private void Release(OutputEvent e)
    {
        if (e.Buffer is null)
            return;
        Interlocked.Add(ref _pendingBytes, -e.Length);
        ArrayPool<byte>.Shared.Return(e.Buffer);
    }

    /// <summary>
    /// The listener's first lines, as the board prints them: <paramref name="text"/> ("tcp waiting...",
    /// "waiting..."), then each address:port a peer on the LAN can reach (one "listening" event in JSON).
    /// </summary>
    public void Listening(string text, System.Net.IPEndPoint local)
    {
        Post(new OutputEvent { Kind = EventKind.Listening, Text = text, Local = local });
        if (_options.Json)
            return;
        foreach (System.Net.IPAddress a in EndpointText.ReachableAddresses(local.Address))
            Line(EndpointText.HostPort(new System.Net.IPEndPoint(a, local.Port)));
    }

    /// <summary>A plain line for the user (stdout in text mode, a "line" event in JSON).</summary>
    public void Line(string text) => Post(new OutputEvent { Kind = EventKind.Line, Text = text });

    /// <summary>Text for the terminal, written as is and in order with the other output (no newline added).</summary>
    public void Terminal(string text) => Post(new OutputEvent { Kind = EventKind.Terminal, Text = text });

    /// <summary>
    /// The echo loop guard turned echo off for connection (or UDP peer) <paramref name="id"/>; <paramref name="undo"/>
    /// says what echo now does and how to turn it back on. One line in the log, an "echo_loop" event in JSON.
    /// </summary>
    public void EchoLoop(long id, System.Net.IPEndPoint remote, EchoLoopInfo loop, string undo) =>
        Post(new OutputEvent { Kind = EventKind.EchoLoop, ConnectionId = id, Remote = remote, Count = loop.Count, Length = loop.PayloadLength, Duration = loop.Duration, Text = undo });

    /// <summary>A diagnostic (always stderr, never mixed into data).</summary>
    public void Error(string text) => Post(new OutputEvent { Kind = EventKind.Error, Text = text });

    private async Task WriteLoopAsync()
    {
        ChannelReader<OutputEvent> reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // The '-i' prompt steps aside for each batch and comes back below it (no awaits in between: same thread).
            ITerminalPrompt? prompt = Prompt;
            prompt?.Hide();
            try
            {
                WriteBatch(reader);
            }
            finally
            {
                prompt?.Show();
            }
        }
    }

    /// <summary>A prompt to keep below the output (set by 'client -i' on a terminal).</summary>
    public ITerminalPrompt? Prompt { get; set; }

    private void WriteBatch(ChannelReader<OutputEvent> reader)
    {
        while (reader.TryRead(out OutputEvent? e))
        {
            try
            {
                Write(e);
            }
            catch (IOException)
            {
                // stdout closed (e.g. `| head`): keep serving, stop showing.
            }
            finally
            {
                Interlocked.Decrement(ref _pendingEvents);
                Release(e);
            }
        }
        // A dropped close leaves that connection's decoders behind: forget them all once they pile up
        // (at worst a character split across reads of a live connection shows as invalid bytes).
        if (_closesDropped && _streams.Count > 4096)
        {
            _streams.Clear();
            _closesDropped = false;
        }
        ReportSkipped();
        try
        {
            _json?.Flush();
            _out.Flush();
        }
        catch (IOException) { }
    }

    private void ReportSkipped()
    {
        long dropped = Interlocked.Exchange(ref _droppedEvents, 0);
        if (dropped > 0)
            _err.WriteLine($"socketlab: display fell behind; {dropped} lines dropped (echo unaffected)");
        long events = Interlocked.Exchange(ref _skippedEvents, 0);
        if (events == 0)
            return;
        long bytes = Interlocked.Exchange(ref _skippedBytes, 0);
        _err.WriteLine($"socketlab: display fell behind; {events} messages ({bytes} bytes) not shown (echo unaffected)");
    }

    private void Write(OutputEvent e)
    {
        if (_json is not null)
            WriteJson(e);
        else
            WriteText(e);
    }

    private string Prefix(OutputEvent e) =>
        _options.Prefix ? $"{e.Time:HH:mm:ss.fff} #{e.ConnectionId} " : "";

    private void WriteText(OutputEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Listening:
                _out.WriteLine(e.Text);
                break;
            case EventKind.Connected:
                if (_options.Prefix)
                    _out.WriteLine($"{Prefix(e)}{EndpointText.PythonTuple(e.Remote!)} connected");
                break;
            case EventKind.Received:
            case EventKind.Sent:
                WriteData(e);
                break;
            case EventKind.Closed:
                FlushDecoder(e);
                if (e.Reason == CloseReason.HandshakeFailed)
                {
                    _out.WriteLine($"{Prefix(e)}{EndpointText.PythonTuple(e.Remote!)} {e.Text}");
                    break;
                }
                string why = e.Reason switch
                {
                    CloseReason.Reset => $" ({e.Text ?? "connection reset by peer"})",
                    CloseReason.IdleTimeout => " (idle timeout)",
                    CloseReason.LocalClosed when _options.Prefix => " (closed by server)",
                    _ => "",
                };
                _out.WriteLine($"{Prefix(e)}close socket{why}");
                _streams.Remove(e.ConnectionId);
                break;
            case EventKind.Rejected:
                _out.WriteLine($"{Prefix(e)}{EndpointText.PythonTuple(e.Remote!)} rejected: {e.Text}");
                break;
            case EventKind.EchoLoop:
                string took = e.Duration < TimeSpan.FromSeconds(1) ? $"{e.Duration.TotalMilliseconds:0} ms" : $"{e.Duration.TotalSeconds:0.0} s";
                _out.WriteLine($"{Prefix(e)}echo loop: the same {e.Length} bytes arrived {e.Count} times in a row in {took}, and stopped when one echo was held back: the other end echoes too; {e.Text}");
                break;
            case EventKind.DatagramReceived:
            case EventKind.DatagramSent:
                WriteDatagram(e);
                break;
            case EventKind.Line:
                _out.WriteLine(e.Text);
                break;
            case EventKind.Terminal:
                _out.Write(e.Text);
                break;
            case EventKind.Error:
                _out.Flush();
                _err.WriteLine($"socketlab: {e.Text}");
                break;
            case EventKind.Stats:
                _out.Flush();
                _err.WriteLine($"socketlab: stats: {e.Stats!.Format()}");
                break;
            case EventKind.Summary:
                _out.Flush();
                _err.WriteLine($"socketlab: {e.Count} connections, {e.BytesIn} bytes in, {e.BytesOut} bytes out");
                break;
        }
    }

    private void WriteData(OutputEvent e)
    {
        StreamState s = State(e.ConnectionId);
        ReadOnlySpan<byte> bytes = e.Buffer.AsSpan(0, e.Length);
        string direction = e.Kind == EventKind.Sent ? "sent" : "received";
        if (_options.View == DataView.Hex)
        {
            long offset = e.Kind == EventKind.Sent ? s.SentOffset : s.ReceivedOffset;
            if (_options.Prefix || e.Kind == EventKind.Sent)
                _out.WriteLine($"{Prefix(e)}{e.Text ?? direction + " "}{e.Length} bytes");
            _out.WriteLine(HexDump.Format(bytes, offset));
            if (e.Kind == EventKind.Sent) s.SentOffset += e.Length; else s.ReceivedOffset += e.Length;
            return;
        }
        string marker = e.Text ?? (e.Kind == EventKind.Sent ? "> " : "");
        if (_options.Print == PrintStyle.Bytes)
        {
            // The seed's recv(1024) hands the program at most 1024 bytes, and it prints each piece.
            for (int start = 0; start < bytes.Length; start += PythonBytes.BoardRecvSize)
                _out.WriteLine($"{Prefix(e)}{marker}{PythonBytes.Repr(bytes[start..Math.Min(bytes.Length, start + PythonBytes.BoardRecvSize)])}");
            return;
        }
        StreamTextDecoder decoder = e.Kind == EventKind.Sent ? s.SentDecoder : s.ReceivedDecoder;
        string text = VisibleText.Render(decoder.Decode(bytes), _options.ShowEol, _options.Raw);
        if (text.Length == 0)
            return; // Only part of a character so far: it shows with the next read.
        _out.Write(Prefix(e));
        _out.Write(marker);
        _out.Write(text);
        if (!text.EndsWith('\n'))
            _out.WriteLine();
    }

    /// <summary>The board's <c>received: &lt;data&gt; from &lt;addr&gt;</c>: each datagram is a whole message on one line.</summary>
    private void WriteDatagram(OutputEvent e)
    {
        ReadOnlySpan<byte> bytes = e.Buffer.AsSpan(0, e.Length);
        bool received = e.Kind == EventKind.DatagramReceived;
        string peer = received ? $"from {EndpointText.PythonTuple(e.Remote!)}" : $"to {EndpointText.PythonTuple(e.Remote!)}";
        if (_options.View == DataView.Hex)
        {
            _out.WriteLine($"{(received ? "received" : "sent")} {e.Length} bytes {peer}");
            if (e.Length > 0)
                _out.WriteLine(HexDump.Format(bytes));
            return;
        }
        string data = _options.Print == PrintStyle.Bytes ? PythonBytes.Repr(bytes) : DatagramText(bytes);
        _out.WriteLine($"{(received ? "received" : "sent")}: {data} {peer}");
    }

    /// <summary>One datagram as one line: decoded whole (datagrams never split a character), CR/LF/TAB escaped.</summary>
    private string DatagramText(ReadOnlySpan<byte> bytes)
    {
        var decoder = new StreamTextDecoder(_options.Encoding, _options.Invalid);
        return VisibleText.OneLine(decoder.Decode(bytes) + decoder.Flush());
    }

    private void FlushDecoder(OutputEvent e)
    {
        if (_options.View != DataView.Text || !_streams.TryGetValue(e.ConnectionId, out StreamState? s))
            return;
        string rest = s.ReceivedDecoder.Flush();
        if (rest.Length > 0)
            _out.WriteLine($"{Prefix(e)}{VisibleText.Render(rest, _options.ShowEol, _options.Raw)}");
    }

    private void WriteJson(OutputEvent e)
    {
        Utf8JsonWriter w = _json!;
        if (e.Kind == EventKind.Terminal)
            return;
        if (e.Kind == EventKind.Error)
        {
            w.Flush();
            _err.WriteLine($"socketlab: {e.Text}");
            return;
        }
        w.WriteStartObject();
        w.WriteString("time", e.Time);
        w.WriteString("event", e.Kind switch
        {
            EventKind.Listening => "listening",
            EventKind.Connected => "connected",
            EventKind.Received => "received",
            EventKind.Sent => "sent",
            EventKind.Closed => "closed",
            EventKind.Rejected => "rejected",
            EventKind.Summary => "summary",
            EventKind.DatagramReceived => "received",
            EventKind.DatagramSent => "sent",
            EventKind.Stats => "stats",
            EventKind.EchoLoop => "echo_loop",
            _ => "line",
        });
        if (e.ConnectionId != 0)
            w.WriteNumber("id", e.ConnectionId);
        if (e.Remote is not null)
            w.WriteString("remote", EndpointText.HostPort(e.Remote));
        if (e.Local is not null)
            w.WriteString("local", EndpointText.HostPort(e.Local));
        switch (e.Kind)
        {
            case EventKind.Received:
            case EventKind.Sent:
                ReadOnlySpan<byte> bytes = e.Buffer.AsSpan(0, e.Length);
                StreamState s = State(e.ConnectionId);
                w.WriteNumber("bytes", e.Length);
                w.WriteString("text", (e.Kind == EventKind.Sent ? s.SentDecoder : s.ReceivedDecoder).Decode(bytes));
                w.WriteBase64String("data", bytes);
                break;
            case EventKind.DatagramReceived:
            case EventKind.DatagramSent:
                ReadOnlySpan<byte> datagram = e.Buffer.AsSpan(0, e.Length);
                var decoder = new StreamTextDecoder(_options.Encoding, _options.Invalid);
                w.WriteNumber("bytes", e.Length);
                w.WriteString("text", decoder.Decode(datagram) + decoder.Flush());
                w.WriteBase64String("data", datagram);
                break;
            case EventKind.Closed:
                w.WriteString("reason", e.Reason.Code());
                if (e.Text is not null)
                    w.WriteString("detail", e.Text);
                w.WriteNumber("bytes_in", e.BytesIn);
                w.WriteNumber("bytes_out", e.BytesOut);
                _streams.Remove(e.ConnectionId);
                break;
            case EventKind.Stats:
                e.Stats!.WriteJson(w);
                break;
            case EventKind.EchoLoop:
                w.WriteNumber("count", e.Count);
                w.WriteNumber("bytes", e.Length);
                w.WriteNumber("duration_ms", (long)e.Duration.TotalMilliseconds);
                w.WriteBoolean("echo", false);
                break;
            case EventKind.Summary:
                w.WriteNumber("connections", e.Count);
                w.WriteNumber("bytes_in", e.BytesIn);
                w.WriteNumber("bytes_out", e.BytesOut);
                break;
            case EventKind.Listening:
            case EventKind.Line:
            case EventKind.Rejected:
                if (e.Text is not null)
                    w.WriteString("text", e.Text);
                break;
        }
        w.WriteEndObject();
        w.Flush();
        _outStream.WriteByte((byte)'\n');
        w.Reset();
    }

    private StreamState State(long id)
    {
        if (!_streams.TryGetValue(id, out StreamState? s))
        {
            s = new StreamState(new StreamTextDecoder(_options.Encoding, _options.Invalid), new StreamTextDecoder(_options.Encoding, _options.Invalid));
            _streams[id] = s;
        }
        return s;
    }

    /// <summary>
    /// Shows everything queued so far, then stops; gives up after <see cref="StopWait"/> when the console
    /// does not take it (a pipe nobody reads), leaving the writer thread blocked in the background.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        if (await Task.WhenAny(_writer, Task.Delay(StopWait)).ConfigureAwait(false) != _writer)
        {
            long lost = Interlocked.Read(ref _droppedEvents) + Volatile.Read(ref _pendingEvents);
            _err.WriteLine($"socketlab: stdout is not being read; stopped without showing {lost} lines");
            return;
        }
        Prompt?.Close(); // nothing more will be typed: the shell's next line starts clean
        try
        {
            _out.Flush();
            _outStream.Flush();
        }
        catch (IOException) { }
        _json?.Dispose();
    }

    private sealed class StreamState(StreamTextDecoder received, StreamTextDecoder sent)
    {
        public StreamTextDecoder ReceivedDecoder { get; } = received;
        public StreamTextDecoder SentDecoder { get; } = sent;
        public long ReceivedOffset { get; set; }
        public long SentOffset { get; set; }
    }
}
