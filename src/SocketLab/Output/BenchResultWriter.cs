using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SocketLab.Core.Bench;
using SocketLab.Core.Net;

namespace SocketLab.Cli.Output;

/// <summary>A bench result as a short text summary or as one JSON object, both on stdout.</summary>
public static class BenchResultWriter
{
    /// <summary>The percentiles reported everywhere, with their JSON names.</summary>
    public static readonly (double Percentile, string Name)[] Percentiles =
        [(50, "p50"), (90, "p90"), (99, "p99"), (99.9, "p99_9")];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Mode(BenchOptions o) => o.Rate is double rate
        ? string.Create(Inv, $"open loop at {rate:N0} msg/s{(o.Depth > 1 ? $", depth {o.Depth}" : "")}, latency from intended send times")
        : o.Depth == 1 ? "ping-pong" : $"pipelined, depth {o.Depth}";

    /// <summary>What was loaded and how: "50 connections x 512 B, ping-pong" or "50 UDP sockets x 512 B, …".</summary>
    public static string Load(BenchOptions o) =>
        o.Udp
            ? string.Create(Inv, $"{o.Connections} UDP sockets x {o.Size} B, {Mode(o)}, {o.Timeout.TotalSeconds:0.###} s timeout")
            : string.Create(Inv, $"{o.Connections} connections x {o.Size} B, {Mode(o)}");

    /// <summary>What drove the load: "uring", "epoll" or "async" for TCP, "udp" for datagrams.</summary>
    public static string Engine(BenchOptions o) => o.Udp ? "udp" : EchoBench.EngineFor(o).ToString().ToLowerInvariant();

    /// <summary>The rate's unit: messages over TCP, datagrams over UDP.</summary>
    public static string RateUnit(BenchOptions o) => o.Udp ? "datagrams/s" : "msg/s";

    /// <summary>One step of a rate search, as shown on a terminal and in the text result.</summary>
    public static string StepLine(RateStep s) =>
        string.Create(Inv, $"rate search: asked {s.AskedPerSecond:N0} msg/s, achieved {s.AchievedPerSecond:N0}, p99 {s.P99Micros:0.#} µs: {(s.Ok ? "held" : "missed")}");

    public static void WriteText(BenchResult r, Stream stdout, RateSearchResult? search = null)
    {
        BenchOptions o = r.Options;
        var t = new StringBuilder();
        if (search is not null)
        {
            foreach (RateStep step in search.Steps)
                t.Append(StepLine(step)).Append('\n');
            t.Append(Inv, $"rate search: {(search.Found ? $"highest rate that kept p99 under {search.P99Target.TotalMilliseconds:0.###} ms: {r.Options.Rate:N0} msg/s; its run:" : $"no rate kept p99 under {search.P99Target.TotalMilliseconds:0.###} ms; the first run:")}\n");
        }
        string who = r.Workers > 1 ? string.Create(Inv, $"bench (merged from {r.Workers} logs)") : "bench";
        t.Append(Inv, $"{who} {EndpointText.HostPort(o.Target)}: {Load(o)}, {r.Elapsed.TotalSeconds:0.##} s measured after {o.Warmup.TotalSeconds:0.##} s warm-up\n");
        t.Append(Inv, $"{(o.Udp ? "datagrams" : "messages "),-10} {r.Messages:N0} echoed and checked: {r.MessagesPerSecond:N0} {RateUnit(o)}, {r.MebibytesPerSecond:N2} MiB/s each way\n");
        if (o.Rate is not null)
        {
            string ramp = o.Ramp > TimeSpan.Zero ? string.Create(Inv, $", {o.Ramp.TotalSeconds:0.##} s ramp") : "";
            double share = r.AskedPerSecond is > 0 and double a ? r.MessagesPerSecond / a * 100 : 0;
            t.Append(Inv, $"rate       asked {r.AskedPerSecond ?? 0:N0} msg/s, achieved {r.MessagesPerSecond:N0} ({share:0.#} %){ramp}\n");
        }
        t.Append("latency us");
        foreach ((double p, string name) in Percentiles)
            t.Append(Inv, $"  {name.Replace('_', '.')} {r.LatencyMicros(p):0.#}");
        t.Append(Inv, $"  max {r.MaxLatencyMicros:0.#}\n");
        if (r.Datagrams is { } d)
        {
            t.Append(Inv, $"udp        sent {d.Sent:N0}, echoed {d.Echoed:N0}, lost {d.Lost:N0} ({d.LossPercent:0.###} %), late {d.Late:N0}, reordered {d.Reordered:N0}, duplicated {d.Duplicated:N0}");
            t.Append(o.MaxLossPercent is { } max ? string.Create(Inv, $"; max loss {max:0.###} %\n") : "\n");
            t.Append(Inv, $"sockets    {r.Connected} of {o.Connections}; errors {r.Errors}\n");
        }
        else
            t.Append(Inv, $"connected  {r.Connected} of {o.Connections}; connect failures {r.ConnectFailures}; errors {r.Errors}\n");
        if (o.Idle > 0)
            t.Append(Inv, $"idle       {r.IdleEchoed} of {o.Idle} idle connections still echoed at the end\n");
        string note = r.EngineNote is null ? "" : $" ({r.EngineNote})";
        t.Append(Inv, $"generator  {EngineOf(r)}{note}, {r.GeneratorCpu.TotalSeconds:0.##} s CPU, {r.Gen0Collections} gen0 GCs, {r.AllocatedBytes:N0} bytes allocated while measuring\n");
        byte[] bytes = Encoding.UTF8.GetBytes(t.ToString());
        stdout.Write(bytes);
        stdout.Flush();
    }

    /// <summary>The engine that ran <paramref name="r"/> (older callers built results without it).</summary>
    private static string EngineOf(BenchResult r) => r.Engine.Length > 0 ? r.Engine : Engine(r.Options);

    public static void WriteJson(BenchResult r, Stream stdout, RateSearchResult? search = null)
    {
        BenchOptions o = r.Options;
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", r.Ok);
            w.WriteString("target", EndpointText.HostPort(o.Target));
            w.WriteString("protocol", o.Udp ? "udp" : "tcp");
            w.WriteString("mode", o.Depth == 1 ? "ping-pong" : "pipelined");
            w.WriteNumber("connections", o.Connections);
            w.WriteNumber("size", o.Size);
            w.WriteNumber("depth", o.Depth);
            w.WriteNumber("warmup_s", o.Warmup.TotalSeconds);
            w.WriteNumber("elapsed_s", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteNumber("messages", r.Messages);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteNumber("messages_per_s", Math.Round(r.MessagesPerSecond, 1));
            w.WriteNumber("mib_per_s", Math.Round(r.MebibytesPerSecond, 3));
            w.WriteStartObject("latency_us");
            foreach ((double p, string name) in Percentiles)
                w.WriteNumber(name, r.LatencyMicros(p));
            w.WriteNumber("max", r.MaxLatencyMicros);
            w.WriteEndObject();
            w.WriteNumber("connected", r.Connected);
            w.WriteNumber("connect_failures", r.ConnectFailures);
            w.WriteNumber("errors", r.Errors);
            if (r.Datagrams is { } d)
            {
                w.WriteNumber("timeout_s", o.Timeout.TotalSeconds);
                w.WriteStartObject("datagrams");
                w.WriteNumber("sent", d.Sent);
                w.WriteNumber("echoed", d.Echoed);
                w.WriteNumber("lost", d.Lost);
                w.WriteNumber("lost_percent", Math.Round(d.LossPercent, 3));
                w.WriteNumber("late", d.Late);
                w.WriteNumber("reordered", d.Reordered);
                w.WriteNumber("duplicated", d.Duplicated);
                if (o.MaxLossPercent is { } max)
                    w.WriteNumber("max_loss_percent", max);
                w.WriteEndObject();
            }
            if (r.FirstError is not null)
                w.WriteString("first_error", r.FirstError);
            r.Mismatch?.WriteJson(w);
            w.WriteStartObject("idle");
            w.WriteNumber("requested", o.Idle);
            w.WriteNumber("connected", r.IdleConnected);
            w.WriteNumber("echoed", r.IdleEchoed);
            w.WriteEndObject();
            w.WriteStartObject("generator");
            w.WriteString("engine", EngineOf(r));
            if (r.EngineNote is not null)
                w.WriteString("note", r.EngineNote);
            w.WriteNumber("gen0_collections", r.Gen0Collections);
            w.WriteNumber("allocated_bytes", r.AllocatedBytes);
            w.WriteNumber("cpu_s", Math.Round(r.GeneratorCpu.TotalSeconds, 3));
            w.WriteEndObject();
            if (o.Rate is double asked)
            {
                w.WriteStartObject("rate");
                w.WriteNumber("asked_per_s", Math.Round(r.AskedPerSecond ?? asked, 1));
                w.WriteNumber("achieved_per_s", Math.Round(r.MessagesPerSecond, 1));
                w.WriteNumber("set_per_s", asked);
                w.WriteNumber("ramp_s", o.Ramp.TotalSeconds);
                w.WriteString("latency_from", "intended send time");
                w.WriteEndObject();
            }
            if (o.ConnectRate is double connectRate)
                w.WriteNumber("connect_rate_per_s", connectRate);
            if (r.Workers > 1)
                w.WriteNumber("workers", r.Workers);
            if (search is not null)
            {
                w.WriteStartObject("rate_search");
                w.WriteNumber("p99_target_us", search.P99Target.TotalMicroseconds);
                w.WriteBoolean("found", search.Found);
                if (search.Found)
                    w.WriteNumber("rate_per_s", o.Rate ?? 0);
                w.WriteStartArray("steps");
                foreach (RateStep step in search.Steps)
                {
                    w.WriteStartObject();
                    w.WriteNumber("asked_per_s", Math.Round(step.AskedPerSecond, 1));
                    w.WriteNumber("achieved_per_s", Math.Round(step.AchievedPerSecond, 1));
                    w.WriteNumber("p99_us", step.P99Micros);
                    w.WriteBoolean("ok", step.Ok);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartArray("timeline");
            foreach (BenchSample s in r.Timeline.Where(s => s.Measuring))
            {
                w.WriteStartObject();
                w.WriteNumber("t_s", Math.Round(s.Elapsed.TotalSeconds, 3));
                w.WriteNumber("messages_per_s", Math.Round(s.MessagesPerSecond, 1));
                w.WriteNumber("p99_us", s.P99Micros);
                if (o.Udp)
                    w.WriteNumber("lost", s.Lost);
                if (s.AskedPerSecond is double askedNow)
                    w.WriteNumber("asked_per_s", Math.Round(askedNow, 1));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
