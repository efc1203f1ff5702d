using SocketLab.Core.Net;
using System.Diagnostics;
using System.Net;
using HdrHistogram;
using HdrHistogram.Iteration;
using SocketLab.Core.Bench;
using SocketLab.Core.Tests.Tcp;
using SocketLab.Tests.Shared;

namespace SocketLab.Core.Tests.Bench;

public class OpenLoopBenchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    private static BenchOptions OpenLoop(IPEndPoint target, double rate) => new()
    {
        Target = target,
        Connections = 4,
        Size = 32,
        Rate = rate,
        Engine = SocketEngine.Epoll,
        Warmup = TimeSpan.FromMilliseconds(200),
        Duration = TimeSpan.FromMilliseconds(1500),
        SampleInterval = TimeSpan.FromMilliseconds(100),
    };

    public static TheoryData<SocketEngine> OwnLoops() =>
        new(EchoBench.UringAvailable ? [SocketEngine.Epoll, SocketEngine.Uring] : [SocketEngine.Epoll]);

    [Theory]
    [MemberData(nameof(OwnLoops))]
    public async Task A_rate_the_server_keeps_up_with_is_sent_at_that_rate_and_every_echo_is_counted(SocketEngine engine)
    {
        await using var server = new LoopbackServer();
        BenchResult r = await EchoBench.RunAsync(OpenLoop(server.EndPoint, 2000) with { Engine = engine }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError);
        double asked = Assert.IsType<double>(r.AskedPerSecond);
        Assert.InRange(asked, 1900, 2100);                       // The schedule asked for the rate set.
        // Open loop: not as fast as the server goes. (A little above: echoes of messages due in the warm-up
        // that a busy machine delayed complete in the measured time; none can be sent before its time.)
        Assert.InRange(r.MessagesPerSecond, asked * 0.8, asked * 1.25);
        Assert.True(r.Messages <= r.AskedMessages + (long)(2000 * r.Options.Warmup.TotalSeconds) + r.Options.Connections);
        Assert.Equal(r.Messages, r.Latency.TotalCount);
        Assert.All(r.Timeline.Where(s => s.Measuring), s => Assert.NotNull(s.AskedPerSecond));
    }

    [Theory]
    [MemberData(nameof(OwnLoops))]
    public async Task A_server_that_stalls_is_charged_for_every_message_meant_to_go_meanwhile(SocketEngine engine)
    {
        // 500 messages a second on 2 connections = 8,000 bytes a second each: the stall comes about 0.6 s in,
        // inside the measured time. Measured from the write, only the message in flight would show the
        // stall (depth 1); measured from the intended times, the ~200 messages meant for those 400 ms do.
        await using var server = FaultyEchoServer.Stalling(at: 4800, TimeSpan.FromMilliseconds(400));
        BenchResult r = await EchoBench.RunAsync(OpenLoop(server.EndPoint, 500) with { Connections = 2, Engine = engine }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError);
        long slow = r.Latency.TotalCount - CountBelow(r.Latency, TimeSpan.FromMilliseconds(100));
        Assert.True(slow >= r.Messages / 10, $"{slow} of {r.Messages} messages took 100 ms or more");
        Assert.True(r.MaxLatencyMicros >= 350_000, $"max {r.MaxLatencyMicros} µs");
    }

    [Fact]
    public async Task The_ramp_asks_for_half_the_messages_over_its_time_and_the_full_rate_after()
    {
        await using var server = new LoopbackServer();
        // Warm-up 0 and a 1 s ramp to 4,000/s within 2 s measured: 2,000 asked in the ramp, 4,000 after.
        BenchResult r = await EchoBench.RunAsync(OpenLoop(server.EndPoint, 4000) with { Warmup = TimeSpan.Zero, Ramp = TimeSpan.FromSeconds(1), Duration = TimeSpan.FromSeconds(2) }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError);
        long expected = (long)(2000 + 4000 * (r.Elapsed.TotalSeconds - 1));
        Assert.InRange(r.AskedMessages!.Value, expected - 50, expected + 50);
        BenchSample early = r.Timeline.First(s => s.Measuring && s.Elapsed > TimeSpan.FromMilliseconds(150));
        BenchSample late = r.Timeline.Last(s => s.Measuring && s.Elapsed > TimeSpan.FromMilliseconds(1200));
        Assert.True(early.AskedPerSecond < 1500, $"early {early.AskedPerSecond}/s");
        Assert.InRange(late.AskedPerSecond!.Value, 3500, 4500);
    }

    [Fact]
    public void The_schedule_spreads_connections_and_its_times_and_counts_agree()
    {
        var schedule = new SendSchedule(1000, 4, TimeSpan.FromSeconds(2));
        schedule.Start(0);
        for (long id = 0; id < 4; id++)
        {
            for (long m = 0; m < 600; m += 7)
            {
                long at = schedule.TimeOf(id, m);
                Assert.Equal(m + 1, schedule.DueBy(id, at));     // At its own time a message is due …
                Assert.Equal(m, schedule.DueBy(id, at - Stopwatch.Frequency / 100_000)); // … and not 10 µs before.
            }
        }
        Assert.True(schedule.TimeOf(1, 10) > schedule.TimeOf(0, 10)); // Neighbours are offset, not in step.
        // The ramp's integral: 1,000/s climbing over 2 s asks for 1,000 messages, then 1,000 a second.
        Assert.InRange(schedule.DueBetween(0, 2 * Stopwatch.Frequency), 998, 1004);
        Assert.InRange(schedule.DueBetween(2 * Stopwatch.Frequency, 3 * Stopwatch.Frequency), 998, 1002);
    }

    [Fact]
    public async Task Connects_are_paced_by_the_connect_rate()
    {
        await using var server = new LoopbackServer();
        var started = Stopwatch.StartNew();
        BenchResult r = await EchoBench.RunAsync(OpenLoop(server.EndPoint, 1000) with { Connections = 10, ConnectRate = 20, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromMilliseconds(300) }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError);
        // The 10th connect may start 9 / 20 s = 0.45 s after the first.
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(450 + 300), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task The_async_engine_and_udp_refuse_a_rate()
    {
        var o = OpenLoop(new IPEndPoint(IPAddress.Loopback, 9), 100);
        await Assert.ThrowsAsync<ArgumentException>(() => EchoBench.RunAsync(o with { Engine = SocketEngine.Async }));
        await Assert.ThrowsAsync<ArgumentException>(() => EchoBench.RunAsync(o with { Udp = true, Size = 64 }));
    }

    [Fact]
    public async Task An_interval_log_holds_exactly_the_measured_latencies()
    {
        await using var server = new LoopbackServer();
        using var file = new MemoryStream();
        BenchResult r;
        using (var log = new HdrIntervalLog(file))
        {
            r = await EchoBench.RunAsync(OpenLoop(server.EndPoint, 3000), hdrLog: log).WaitAsync(Limit);
            log.WriteSummary(r);
        }

        string text = System.Text.Encoding.UTF8.GetString(file.ToArray());
        Assert.StartsWith("#[Histogram log format version", text); // UTF-8, no byte-order mark.
        file.Position = 0;
        List<HistogramBase> intervals = new HistogramLogReader(file).ReadHistograms().ToList();
        Assert.True(intervals.Count >= 10, $"{intervals.Count} intervals");
        Assert.Equal(r.Messages, intervals.Sum(h => h.TotalCount));
        Assert.All(intervals, h => Assert.True(h.EndTimeStamp >= h.StartTimeStamp && h.StartTimeStamp >= r.MeasuredFrom.ToUnixTimeMilliseconds()));
        Assert.Contains(HdrIntervalLog.SummaryPrefix, text);
    }

    private static long CountBelow(HistogramBase h, TimeSpan limit)
    {
        long n = 0;
        foreach (HistogramIterationValue v in h.RecordedValues())
        {
            if (v.ValueIteratedTo < limit.Ticks * 100)
                n += v.CountAtValueIteratedTo;
        }
        return n;
    }
}
