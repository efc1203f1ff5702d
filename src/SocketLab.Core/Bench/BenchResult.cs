using HdrHistogram;

namespace SocketLab.Core.Bench;

/// <summary>
/// One point of the timeline: what the interval ending at <c>Elapsed</c> (time since measuring started,
/// negative during warm-up) did. <c>P99Micros</c> is 0 outside the measured time.
/// </summary>
public readonly record struct BenchSample(TimeSpan Elapsed, bool Measuring, long Messages, double MessagesPerSecond, double P99Micros, int Connected)
{
    /// <summary>UDP: datagrams counted lost so far, warm-up included.</summary>
    public long Lost { get; init; }

    /// <summary>Connections (sockets) failed so far.</summary>
    public long Errors { get; init; }

    /// <summary>Open loop: the rate the schedule asked for over this interval.</summary>
    public double? AskedPerSecond { get; init; }
}

/// <summary>
/// A data mismatch: which connection, where in its stream, and the bytes involved. For UDP,
/// <see cref="Datagram"/> is the datagram's sequence number and <see cref="StreamOffset"/> the byte in it;
/// <see cref="Detail"/> describes what no single byte can (a wrong length, a number never sent).
/// </summary>
public sealed record EchoMismatch(long Connection, long StreamOffset, byte Expected, byte Got)
{
    public long? Datagram { get; init; }
    public string? Detail { get; init; }

    /// <summary>Writes this mismatch as a JSON object named <c>mismatch</c> (the bench's JSON and its interval logs).</summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartObject("mismatch");
        w.WriteNumber("connection", Connection);
        w.WriteNumber("offset", StreamOffset);
        w.WriteNumber("expected", Expected);
        w.WriteNumber("got", Got);
        if (Datagram is { } datagram)
            w.WriteNumber("datagram", datagram);
        if (Detail is not null)
            w.WriteString("detail", Detail);
        w.WriteEndObject();
    }

    public override string ToString() => (Datagram, Detail) switch
    {
        (_, not null) => $"socket {Connection}: {Detail}",
        (long d, null) => $"socket {Connection} got 0x{Got:x2} instead of 0x{Expected:x2} at byte {StreamOffset} of datagram {d}",
        _ => $"connection {Connection} got 0x{Got:x2} instead of 0x{Expected:x2} at byte {StreamOffset} of its stream",
    };
}

/// <summary>
/// UDP counts of the measured time. Sent counts datagrams sent while measuring; echoed and lost count
/// those resolved while measuring (echoed in time, or not echoed within the timeout). Late echoes of
/// lost datagrams, duplicates and reordered echoes (a lower number than one already echoed) are counted apart.
/// </summary>
public sealed record DatagramCounts(long Sent, long Echoed, long Lost, long Late, long Reordered, long Duplicated)
{
    public double LossPercent => Echoed + Lost == 0 ? 0 : 100.0 * Lost / (Echoed + Lost);
}

/// <summary>The outcome of a bench run. Latencies are microseconds, from send to the last echoed byte.</summary>
public sealed record BenchResult
{
    public required BenchOptions Options { get; init; }
    public required int Connected { get; init; }
    public required int ConnectFailures { get; init; }
    /// <summary>Resets, closes and timeouts on the measured connections.</summary>
    public required int Errors { get; init; }
    public string? FirstError { get; init; }
    public EchoMismatch? Mismatch { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required long Messages { get; init; }
    public required long Bytes { get; init; }
    public required int IdleConnected { get; init; }
    /// <summary>Idle connections that echoed their check message correctly at the end.</summary>
    public required int IdleEchoed { get; init; }
    public required HistogramBase Latency { get; init; }
    public required IReadOnlyList<BenchSample> Timeline { get; init; }
    /// <summary>UDP runs only.</summary>
    public DatagramCounts? Datagrams { get; init; }
    /// <summary>Garbage collections in this process during the measured time (the generator's own).</summary>
    public required int Gen0Collections { get; init; }
    public required long AllocatedBytes { get; init; }
    /// <summary>CPU time this process used while measuring: near Elapsed × cores means the generator was the limit.</summary>
    public required TimeSpan GeneratorCpu { get; init; }

    /// <summary>What drove the load: "epoll", "uring", "async" or "udp" (merged logs: the workers' engines, comma-separated).</summary>
    public string Engine { get; init; } = "";

    /// <summary>Why the engine is not the one <c>auto</c> prefers (io_uring refused here), or null.</summary>
    public string? EngineNote { get; init; }

    /// <summary>Open loop: messages the schedule asked for in the measured time (null for closed-loop runs).</summary>
    public long? AskedMessages { get; init; }

    /// <summary>Generators whose results are in this one: 1, or the number of merged logs.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Wall-clock start of the measured time (merged logs: the earliest worker's).</summary>
    public DateTimeOffset MeasuredFrom { get; init; }

    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Messages / Elapsed.TotalSeconds : 0;
    /// <summary>Echoed payload per second, one direction.</summary>
    public double MebibytesPerSecond => Elapsed > TimeSpan.Zero ? Bytes / Elapsed.TotalSeconds / (1024 * 1024) : 0;
    /// <summary>Idle connections that could not be opened or did not echo at the end.</summary>
    public int IdleFailures => Options.Idle - IdleEchoed;
    /// <summary>UDP: the loss was above <see cref="BenchOptions.MaxLossPercent"/>.</summary>
    public bool LossExceeded => Datagrams is { } d && Options.MaxLossPercent is { } max && d.LossPercent > max;
    public bool Ok => Mismatch is null && Errors == 0 && ConnectFailures == 0 && IdleFailures == 0 && Messages > 0 && !LossExceeded;

    /// <summary>Open loop: the rate asked for over the measured time, messages per second.</summary>
    public double? AskedPerSecond => AskedMessages is long asked && Elapsed > TimeSpan.Zero ? asked / Elapsed.TotalSeconds : null;

    public double LatencyMicros(double percentile) => Latency.TotalCount == 0 ? 0 : Latency.GetValueAtPercentile(percentile) / 1000.0;
    public double MaxLatencyMicros => Latency.TotalCount == 0 ? 0 : Latency.GetMaxValue() / 1000.0;
}
