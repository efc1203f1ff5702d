using System.Net;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace SocketLab.Core.Bench;

/// <summary>
/// The counts of one run that its latency histograms do not hold (connections, errors, bytes, the
/// generator's cost), as the one JSON object an interval log ends with, and back.
/// </summary>
public static class BenchSummary
{
    public static string ToJson(BenchResult r)
    {
        BenchOptions o = r.Options;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("target", o.Target.ToString());
            w.WriteNumber("connections", o.Connections);
            w.WriteNumber("size", o.Size);
            w.WriteNumber("depth", o.Depth);
            w.WriteNumber("warmup_s", o.Warmup.TotalSeconds);
            if (o.Rate is double rate)
            {
                w.WriteNumber("rate_per_s", rate);
                w.WriteNumber("ramp_s", o.Ramp.TotalSeconds);
            }
            if (r.AskedMessages is long asked)
                w.WriteNumber("asked", asked);
            w.WriteString("engine", r.Engine);
            w.WriteNumber("measured_from_ms", r.MeasuredFrom.ToUnixTimeMilliseconds());
            w.WriteNumber("elapsed_s", r.Elapsed.TotalSeconds);
            w.WriteNumber("messages", r.Messages);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteNumber("connected", r.Connected);
            w.WriteNumber("connect_failures", r.ConnectFailures);
            w.WriteNumber("errors", r.Errors);
            if (r.FirstError is not null)
                w.WriteString("first_error", r.FirstError);
            r.Mismatch?.WriteJson(w);
            w.WriteNumber("idle_requested", o.Idle);
            w.WriteNumber("idle_connected", r.IdleConnected);
            w.WriteNumber("idle_echoed", r.IdleEchoed);
            w.WriteNumber("gen0_collections", r.Gen0Collections);
            w.WriteNumber("allocated_bytes", r.AllocatedBytes);
            w.WriteNumber("cpu_s", r.GeneratorCpu.TotalSeconds);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Rebuilds a result from a summary and the latency its log holds; false when the summary is not one
    /// this version wrote (a missing or mistyped field).
    /// </summary>
    public static bool TryParse(string json, HistogramBase latency, out BenchResult result)
    {
        result = null!;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement e = doc.RootElement;
            if (!IPEndPoint.TryParse(e.GetProperty("target").GetString() ?? "", out IPEndPoint? target))
                return false;
            double? rate = e.TryGetProperty("rate_per_s", out JsonElement rateValue) ? rateValue.GetDouble() : null;
            var options = new BenchOptions
            {
                Target = target,
                Connections = e.GetProperty("connections").GetInt32(),
                Size = e.GetProperty("size").GetInt32(),
                Depth = e.GetProperty("depth").GetInt32(),
                Warmup = TimeSpan.FromSeconds(e.GetProperty("warmup_s").GetDouble()),
                Idle = e.GetProperty("idle_requested").GetInt32(),
                Rate = rate,
                Ramp = rate is null ? TimeSpan.Zero : TimeSpan.FromSeconds(e.GetProperty("ramp_s").GetDouble()),
            };
            EchoMismatch? mismatch = null;
            if (e.TryGetProperty("mismatch", out JsonElement m))
                mismatch = new EchoMismatch(m.GetProperty("connection").GetInt64(), m.GetProperty("offset").GetInt64(), m.GetProperty("expected").GetByte(), m.GetProperty("got").GetByte());
            result = new BenchResult
            {
                Options = options,
                Engine = e.GetProperty("engine").GetString() ?? "",
                AskedMessages = e.TryGetProperty("asked", out JsonElement asked) ? asked.GetInt64() : null,
                MeasuredFrom = DateTimeOffset.FromUnixTimeMilliseconds(e.GetProperty("measured_from_ms").GetInt64()),
                Elapsed = TimeSpan.FromSeconds(e.GetProperty("elapsed_s").GetDouble()),
                Messages = e.GetProperty("messages").GetInt64(),
                Bytes = e.GetProperty("bytes").GetInt64(),
                Connected = e.GetProperty("connected").GetInt32(),
                ConnectFailures = e.GetProperty("connect_failures").GetInt32(),
                Errors = e.GetProperty("errors").GetInt32(),
                FirstError = e.TryGetProperty("first_error", out JsonElement first) ? first.GetString() : null,
                Mismatch = mismatch,
                IdleConnected = e.GetProperty("idle_connected").GetInt32(),
                IdleEchoed = e.GetProperty("idle_echoed").GetInt32(),
                Gen0Collections = e.GetProperty("gen0_collections").GetInt32(),
                AllocatedBytes = e.GetProperty("allocated_bytes").GetInt64(),
                GeneratorCpu = TimeSpan.FromSeconds(e.GetProperty("cpu_s").GetDouble()),
                Latency = latency,
                Timeline = [],
            };
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
