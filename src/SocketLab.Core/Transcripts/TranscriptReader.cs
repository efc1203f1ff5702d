using System.Text.Json;

namespace SocketLab.Core.Transcripts;

/// <summary>A transcript line that cannot be read; <see cref="Exception.Message"/> names the line.</summary>
public sealed class TranscriptFormatException(string message) : Exception(message);

/// <summary>Reads a JSONL transcript back into events, in file order.</summary>
public static class TranscriptReader
{
    /// <summary>Reads every event; blank lines are skipped, a bad line throws <see cref="TranscriptFormatException"/>.</summary>
    public static IReadOnlyList<TranscriptEvent> ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

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
                throw new TranscriptFormatException($"{name}:{number}: not a transcript event ({ex.Message.ReplaceLineEndings(" ")})");
            }
        }
        return events;
    }

    public static TranscriptEvent Parse(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement root = doc.RootElement;
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
            data = root.GetProperty("data").GetBytesFromBase64();
            if (root.TryGetProperty("bytes", out JsonElement count) && count.GetInt32() != data.Length)
                throw new FormatException($"bytes says {count.GetInt32()} but data holds {data.Length}");
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
