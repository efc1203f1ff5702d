using System.Diagnostics;
using HdrHistogram;

namespace SocketLab.Core.Bench;

/// <summary>State every connection of one run shares: the phase flags, the latency recorder and the failures.</summary>
internal sealed class BenchRun
{
    /// <summary>Latencies are kept in nanoseconds, from 1 ns to 1 hour, with 3 significant digits.</summary>
    public const long HighestLatencyNanos = 3_600_000_000_000;

    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;
    private readonly Recorder _recorder = new(1, HighestLatencyNanos, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private volatile bool _measuring;
    private volatile bool _stopping;
    private volatile bool _aborted;
    private int _errors;
    private string? _firstError;
    private EchoMismatch? _mismatch;

    public BenchRun(BenchOptions options)
    {
        Options = options;
        Pattern = new EchoPattern();
        if (options.Rate is double rate)
            Schedule = new SendSchedule(rate, options.Connections, options.Ramp);
    }

    /// <summary>Open loop: when each message is meant to go; null for closed-loop runs.</summary>
    public SendSchedule? Schedule { get; }

    public BenchOptions Options { get; }
    public EchoPattern Pattern { get; }
    public bool Measuring => _measuring;
    public bool Stopping => _stopping;
    /// <summary>Sockets were closed because echoes did not arrive in time after the stop.</summary>
    public bool Aborted => _aborted;
    public int Errors => Volatile.Read(ref _errors);
    public string? FirstError => Volatile.Read(ref _firstError);
    public EchoMismatch? Mismatch => Volatile.Read(ref _mismatch);

    public void StartMeasuring() => _measuring = true;

    public void Stop()
    {
        _measuring = false;
        _stopping = true;
    }

    public void Abort() => _aborted = true;

    /// <summary>Records <paramref name="messages"/> messages that each took <paramref name="ticks"/>.</summary>
    public void RecordLatency(long ticks, long messages) =>
        _recorder.RecordValueWithCount(Math.Clamp((long)(ticks * NanosPerTick), 1, HighestLatencyNanos), messages);

    /// <summary>Moves what was recorded since the last call into <paramref name="interval"/> (cleared first).</summary>
    public void TakeInterval(HistogramBase interval) => _recorder.GetIntervalHistogramInto(interval);

    public void ReportError(string text)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, text, null);
    }

    /// <summary>Corrupted data ends the whole run at once: no figure from a wrong server is worth reporting.</summary>
    public void ReportMismatch(EchoMismatch mismatch)
    {
        Interlocked.CompareExchange(ref _mismatch, mismatch, null);
        Stop();
    }
}
