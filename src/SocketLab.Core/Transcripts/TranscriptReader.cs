using System.Text.Json;

namespace SocketLab.Core.Transcripts;

/// <summary>A transcript line that cannot be read; <see cref="Exception.Message"/> names the line.</summary>
public sealed class TranscriptFormatException(string message) : Exception(message);

/// <summary>Reads a JSONL transcript back into events, in file order.</summary>
public static class TranscriptReader
{
    /// <summary>
    /// Longest line read (16 MiB): the longest a recorder writes is a chunk of a few hundred KiB in base64, so
    /// anything longer is not a transcript (a sparse file, /dev/zero) and must not be read into memory whole.
    /// </summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>Reads every event into a list; blank lines are skipped, a bad line throws <see cref="TranscriptFormatException"/>.</summary>
    public static IReadOnlyList<TranscriptEvent> ReadFile(string path) => Stream(path).ToList();

    /// <summary>
    /// Reads events one by one as they are enumerated, never more than one line in memory (at most
    /// <see cref="MaxLineBytes"/>); blank lines are skipped, a bad or too long line throws
    /// <see cref="TranscriptFormatException"/> naming <c>path:line</c>. Each enumeration reads the file again.
    /// <c>wantData</c>, given (protocol, connection), says whether to decode a data event's bytes; the others come
    /// with empty <see cref="TranscriptEvent.Data"/> (a pass that only looks for connections decodes nothing).
    /// </summary>
    public static IEnumerable<TranscriptEvent> Stream(string path, int maxLineBytes = MaxLineBytes, Func<string, long, bool>? wantData = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        byte[] buffer = new byte[64 * 1024];
        byte[] line = new byte[4096];
        int length = 0;
        int number = 1;
        while (true)
        {
            int read = file.Read(buffer);
            if (read == 0)
                break;
            int from = 0;
            while (from < read)
            {
                int newline = buffer.AsSpan(from, read - from).IndexOf((byte)'\n');
                int take = newline < 0 ? read - from : newline;
                if ((long)length + take > maxLineBytes)
                    throw new TranscriptFormatException($"{path}:{number}: not a transcript event (the line is longer than {maxLineBytes / (1024 * 1024)} MiB)");
                if (length + take > line.Length)
                    Array.Resize(ref line, (int)Math.Min(maxLineBytes, Math.Max((long)line.Length * 2, length + take)));
                buffer.AsSpan(from, take).CopyTo(line.AsSpan(length));
                length += take;
                from += take;
                if (newline < 0)
                    break;
                from++; // The newline.
                if (ParseLine(line.AsMemory(0, length), path, number, wantData) is { } e)
                    yield return e;
                number++;
                length = 0;
            }
        }
        if (length > 0 && ParseLine(line.AsMemory(0, length), path, number, wantData) is { } last)
            yield return last;
    }

    private static TranscriptEvent? ParseLine(ReadOnlyMemory<byte> bytes, string name, int number, Func<string, long, bool>? wantData)
    {
        if (bytes.Span.Trim(" \t\r"u8).IsEmpty)
            return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(bytes);
            return Parse(doc.RootElement, wantData) with { Line = number };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new TranscriptFormatException($"{name}:{number}: not a transcript event ({Why(ex)})");
        }
    }

    /// <summary>What is wrong with a line, in words (not .NET's "The given key was not present in the dictionary").</summary>
    private static string Why(Exception ex) => ex is KeyNotFoundException
        ? "a field it needs is missing: every event has \"event\", \"time\" and \"proto\", and data events \"dir\" and \"data\" (docs/transcripts.md)"
        : ex.Message.ReplaceLineEndings(" ");

    public static IReadOnlyList<TranscriptEvent> Read(TextReader reader, string name = "transcript")
    {
        var events = new List<TranscriptEvent>();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                events.Add(Parse(line));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new TranscriptFormatException($"{name}:{number}: not a transcript event ({Why(ex)})");
            }
        }
        return events;
    }

    public static TranscriptEvent Parse(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        return Parse(doc.RootElement);
    }

    private static TranscriptEvent Parse(JsonElement root, Func<string, long, bool>? wantData = null)
    {
        TranscriptEventKind kind = root.GetProperty("event").GetString() switch
        {
            "open" => TranscriptEventKind.Open,
            "data" => TranscriptEventKind.Data,
            "close" => TranscriptEventKind.Close,
            var other => throw new FormatException($"unknown event '{other}'"),
        };
        TranscriptDirection dir = TranscriptDirection.In;
        byte[] data = [];
        if (kind == TranscriptEventKind.Data)
        {
            dir = root.GetProperty("dir").GetString() switch
            {
                "in" => TranscriptDirection.In,
                "out" => TranscriptDirection.Out,
                var other => throw new FormatException($"unknown dir '{other}'"),
            };
            JsonElement encoded = root.GetProperty("data");
            if (encoded.ValueKind != JsonValueKind.String)
                throw new FormatException("data is not a base64 string");
            if (wantData is null || wantData(Optional(root, "proto") ?? "tcp", root.TryGetProperty("conn", out JsonElement c) ? c.GetInt64() : 0))
            {
                data = encoded.GetBytesFromBase64();
                if (root.TryGetProperty("bytes", out JsonElement count) && count.GetInt32() != data.Length)
                    throw new FormatException($"bytes says {count.GetInt32()} but data holds {data.Length}");
            }
        }
        return new TranscriptEvent
        {
            Time = root.GetProperty("time").GetDateTimeOffset(),
            Protocol = root.GetProperty("proto").GetString() ?? "tcp",
            Role = Optional(root, "role"),
            Connection = root.TryGetProperty("conn", out JsonElement conn) ? conn.GetInt64() : 0,
            Kind = kind,
            Direction = dir,
            Echo = root.TryGetProperty("echo", out JsonElement echo) && echo.GetBoolean(),
            Local = Optional(root, "local"),
            Remote = Optional(root, "remote"),
            Data = data,
            Reason = Optional(root, "reason"),
            Detail = Optional(root, "detail"),
        };
    }

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
