using System.Text;
using HdrHistogram;

namespace SocketLab.Core.Bench;

/// <summary>
/// Combines the interval logs of several <c>socketlab bench --hdr-log</c> runs (generators started together
/// on several machines) into one result: every interval histogram added into one, counts summed, the
/// measured time from the earliest interval's start to the latest one's end.
/// </summary>
public static class BenchLogMerge
{
    /// <summary>Reads and merges the logs; throws <see cref="InvalidDataException"/> naming the file for one that is not a complete bench log.</summary>
    public static BenchResult Merge(IReadOnlyList<string> paths)
    {
        ArgumentOutOfRangeException.ThrowIfZero(paths.Count);
        var workers = new List<BenchResult>();
        var intervals = new List<HistogramBase>();
        foreach (string path in paths)
        {
            (BenchResult worker, List<HistogramBase> own) = Read(path);
            BenchResult? first = workers.FirstOrDefault();
            if (first is not null)
            {
                string? differs = !first.Options.Target.Equals(worker.Options.Target) ? $"target ({first.Options.Target} and {worker.Options.Target})"
                    : first.Options.Size != worker.Options.Size ? $"--size ({first.Options.Size} and {worker.Options.Size})"
                    : first.Options.Depth != worker.Options.Depth ? $"--depth ({first.Options.Depth} and {worker.Options.Depth})"
                    : null;
                if (differs is not null)
                    throw new InvalidDataException($"{path}: the logs differ in {differs}; merge the workers of one load");
            }
            workers.Add(worker);
            intervals.AddRange(own);
        }

        var latency = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
        foreach (HistogramBase h in intervals)
            latency.Add(h);
        long from = intervals.Count > 0 ? intervals.Min(h => h.StartTimeStamp) : workers.Min(w => w.MeasuredFrom.ToUnixTimeMilliseconds());
        long to = intervals.Count > 0 ? intervals.Max(h => h.EndTimeStamp) : from;
        BenchOptions o = workers[0].Options;
        bool open = workers.All(w => w.Options.Rate is not null);
        return new BenchResult
        {
            Options = o with
            {
                Connections = workers.Sum(w => w.Options.Connections),
                Idle = workers.Sum(w => w.Options.Idle),
                Warmup = workers.Max(w => w.Options.Warmup),
                Rate = open ? workers.Sum(w => w.Options.Rate!.Value) : null,
            },
            Engine = string.Join(",", workers.Select(w => w.Engine).Distinct()),
            Workers = workers.Count,
            AskedMessages = open ? workers.Sum(w => w.AskedMessages ?? 0) : null,
            MeasuredFrom = DateTimeOffset.FromUnixTimeMilliseconds(from),
            Elapsed = TimeSpan.FromMilliseconds(to - from),
            Messages = workers.Sum(w => w.Messages),
            Bytes = workers.Sum(w => w.Bytes),
            Connected = workers.Sum(w => w.Connected),
            ConnectFailures = workers.Sum(w => w.ConnectFailures),
            Errors = workers.Sum(w => w.Errors),
            FirstError = workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null),
            Mismatch = workers.Select(w => w.Mismatch).FirstOrDefault(m => m is not null),
            IdleConnected = workers.Sum(w => w.IdleConnected),
            IdleEchoed = workers.Sum(w => w.IdleEchoed),
            Gen0Collections = workers.Sum(w => w.Gen0Collections),
            AllocatedBytes = workers.Sum(w => w.AllocatedBytes),
            GeneratorCpu = TimeSpan.FromTicks(workers.Sum(w => w.GeneratorCpu.Ticks)),
            Latency = latency,
            Timeline = PerSecond(intervals, from),
        };
    }

    /// <summary>The merged load second by second (the workers' sampling ticks are not aligned, so finer buckets would alias).</summary>
    private static List<BenchSample> PerSecond(List<HistogramBase> intervals, long from)
    {
        var timeline = new List<BenchSample>();
        foreach (var second in intervals.GroupBy(h => (h.StartTimeStamp - from) / 1000).OrderBy(g => g.Key))
        {
            var h = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
            foreach (HistogramBase part in second)
                h.Add(part);
            timeline.Add(new BenchSample(TimeSpan.FromSeconds(second.Key + 1), true, h.TotalCount, h.TotalCount,
                h.TotalCount > 0 ? h.GetValueAtPercentile(99) / 1000.0 : 0, 0));
        }
        return timeline;
    }

    private static (BenchResult Worker, List<HistogramBase> Intervals) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read: {ex.Message}", ex);
        }
        string? summary = text.Split('\n').LastOrDefault(l => l.StartsWith(HdrIntervalLog.SummaryPrefix, StringComparison.Ordinal));
        List<HistogramBase> intervals;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            using var reader = new HistogramLogReader(stream);
            intervals = reader.ReadHistograms().ToList();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not an HdrHistogram interval log (a line is neither a comment nor an interval)", ex);
        }
        var own = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
        foreach (HistogramBase h in intervals)
            own.Add(h);
        if (summary is null || !BenchSummary.TryParse(summary[HdrIntervalLog.SummaryPrefix.Length..].TrimEnd('\r', ']'), own, out BenchResult worker))
            throw new InvalidDataException($"{path}: no summary line from socketlab bench --hdr-log (a log of another tool, or a run that did not finish)");
        return (worker, intervals);
    }
}
