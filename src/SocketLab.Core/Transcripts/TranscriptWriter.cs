using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SocketLab.Core.Transcripts;

/// <summary>
/// Appends transcript events to a JSONL file, one line per event, handed to the OS as soon as it is
/// written: a crash of the process loses nothing written, a crash mid-write at most the last line.
/// Thread-safe. With <see cref="MaxBytes"/> set, a full file is renamed <c>name.1.jsonl</c>
/// (older ones shift to .2, .3 … up to <see cref="KeepFiles"/>) and a new one started.
/// A write that fails (disk full, <c>/dev/full</c>, I/O error) never reaches the caller: the part of the
/// line that got out is cut off again, so the file ends on a whole line, the recording stops, and
/// <see cref="Failed"/> is raised once with <see cref="Failure"/>. <see cref="Dispose"/> (or a stop signal
/// calling it) waits for a line being written, so nothing torn and nothing after it.
/// </summary>
public sealed class TranscriptWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _lock = new();
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _json;
    private FileStream _file;
    private bool _disposed;

    /// <summary>Opens (appending to) <paramref name="path"/>; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public TranscriptWriter(string path, long maxBytes = 0, int keepFiles = 5)
    {
        Path = System.IO.Path.GetFullPath(path);
        MaxBytes = maxBytes;
        KeepFiles = Math.Max(1, keepFiles);
        _file = Open(Path);
        _json = new Utf8JsonWriter(_line, JsonOptions);
    }

    public string Path { get; }

    /// <summary>Rotate when a file would grow past this many bytes; 0 = never.</summary>
    public long MaxBytes { get; }

    /// <summary>How many rotated files are kept besides the current one.</summary>
    public int KeepFiles { get; }

    public long EventsWritten { get; private set; }

    /// <summary>Why recording stopped early (e.g. "No space left on device"), or null while all is well.</summary>
    public string? Failure { get; private set; }

    /// <summary>Raised once, outside the writer's lock, when a write fails and recording stops; the argument is a whole sentence.</summary>
    public event Action<string>? Failed;

    /// <summary>The name a rotated file gets: <c>trace.jsonl</c> → <c>trace.2.jsonl</c>.</summary>
    public static string RotatedPath(string path, int index)
    {
        string dir = System.IO.Path.GetDirectoryName(path) ?? "";
        string ext = System.IO.Path.GetExtension(path);
        return System.IO.Path.Combine(dir, $"{System.IO.Path.GetFileNameWithoutExtension(path)}.{index}{ext}");
    }

    public void Write(TranscriptEvent e)
    {
        string? failed = null;
        lock (_lock)
        {
            if (_disposed)
                return;
            _line.ResetWrittenCount();
            _json.Reset(_line);
            Format(_json, e);
            _json.Flush();
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);

            long before = -1;
            try
            {
                if (MaxBytes > 0 && _file.Length > 0 && _file.Length + _line.WrittenCount > MaxBytes)
                    Rotate();
                before = _file.CanSeek ? _file.Length : -1;
                _file.Write(_line.WrittenSpan);
                _file.Flush();
                EventsWritten++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                failed = Fail(ex, before);
            }
        }
        if (failed is not null)
            Failed?.Invoke(failed);
    }

    /// <summary>Under the lock: cuts the torn line off, closes the file and stops recording.</summary>
    private string Fail(Exception ex, long before)
    {
        if (before >= 0)
        {
            try { _file.SetLength(before); }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException or NotSupportedException) { }
        }
        _disposed = true;
        try { _file.Dispose(); }
        catch (IOException) { } // Whatever the kernel still held could not go out either.
        _json.Dispose();
        // .NET appends " : 'PATH'" to the OS's words; the sentence names the file already.
        string words = ex.Message.ReplaceLineEndings(" ").Trim();
        int at = words.LastIndexOf(" : '", StringComparison.Ordinal);
        Failure = at > 0 && words.EndsWith('\'') ? words[..at] : words;
        return $"recording stopped: cannot write '{Path}': {Failure} ({EventsWritten} events recorded, the file ends on a whole line)";
    }

    private static void Format(Utf8JsonWriter w, TranscriptEvent e)
    {
        w.WriteStartObject();
        w.WriteString("time", e.Time);
        w.WriteString("proto", e.Protocol);
        if (e.Role is not null)
            w.WriteString("role", e.Role);
        w.WriteNumber("conn", e.Connection);
        w.WriteString("event", e.Kind switch
        {
            TranscriptEventKind.Open => "open",
            TranscriptEventKind.Close => "close",
            _ => "data",
        });
        if (e.Kind == TranscriptEventKind.Data)
        {
            w.WriteString("dir", e.Direction == TranscriptDirection.In ? "in" : "out");
            if (e.Echo)
                w.WriteBoolean("echo", true);
        }
        if (e.Local is not null)
            w.WriteString("local", e.Local);
        if (e.Remote is not null)
            w.WriteString("remote", e.Remote);
        if (e.Kind == TranscriptEventKind.Data)
        {
            w.WriteNumber("bytes", e.Data.Length);
            w.WriteBase64String("data", e.Data.Span);
        }
        if (e.Reason is not null)
            w.WriteString("reason", e.Reason);
        if (e.Detail is not null)
            w.WriteString("detail", e.Detail);
        w.WriteEndObject();
    }

    private void Rotate()
    {
        _file.Dispose();
        string oldest = RotatedPath(Path, KeepFiles);
        if (File.Exists(oldest))
            File.Delete(oldest);
        for (int i = KeepFiles - 1; i >= 1; i--)
        {
            string from = RotatedPath(Path, i);
            if (File.Exists(from))
                File.Move(from, RotatedPath(Path, i + 1));
        }
        File.Move(Path, RotatedPath(Path, 1));
        _file = Open(Path);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            _file.Dispose();
            _json.Dispose();
        }
    }
}
