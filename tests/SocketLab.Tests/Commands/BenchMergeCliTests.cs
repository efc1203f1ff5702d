using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>Several generators against one server, each writing an interval log, merged: the way a multi-machine run is read.</summary>
public class BenchMergeCliTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Three_workers_logs_merge_into_the_sum_of_their_counts_and_the_percentiles_of_all_their_latencies()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();
        string dir = Directory.CreateTempSubdirectory("socketlab-merge-").FullName;
        try
        {
            // One wall-clock start for all three, far enough ahead for each process to start and connect.
            string startAt = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 + 6).ToString("0.###", CultureInfo.InvariantCulture);
            string[] logs = [.. Enumerable.Range(1, 3).Select(i => Path.Combine(dir, $"worker-{i}.hlog"))];
            var workers = logs.Select((log, i) => CliProcess.RunAsync(Exit, "bench", "127.0.0.1", port.ToString(), "-c", (3 + i).ToString(),
                "--size", "32", "--rate", "1500/s", "-d", "1500ms", "--warmup", "200ms", "--start-at", startAt, "--hdr-log", log, "--json")).ToArray();
            var done = await Task.WhenAll(workers);
            var results = done.Select(d =>
            {
                Assert.True(d.Code == 0, $"exit {d.Code}: {d.Stderr}");
                return JsonDocument.Parse(d.Stdout).RootElement;
            }).ToArray();

            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, ["bench", "merge", .. logs, "--json"]);
            Assert.True(code == 0, $"exit {code}: {stderr}");
            JsonElement merged = JsonDocument.Parse(stdout).RootElement;

            // Counts: the merged run is the sum of the three.
            Assert.Equal(3, merged.GetProperty("workers").GetInt32());
            Assert.Equal(results.Sum(r => r.GetProperty("messages").GetInt64()), merged.GetProperty("messages").GetInt64());
            Assert.Equal(results.Sum(r => r.GetProperty("bytes").GetInt64()), merged.GetProperty("bytes").GetInt64());
            Assert.Equal(3 + 4 + 5, merged.GetProperty("connections").GetInt32());
            Assert.Equal(3 * 1500, merged.GetProperty("rate").GetProperty("set_per_s").GetDouble());
            Assert.True(merged.GetProperty("ok").GetBoolean());

            // Percentiles: what HdrHistogram's own reader makes of the three logs together, and of each alone.
            var all = new LongHistogram(1, 3_600_000_000_000, 3);
            for (int i = 0; i < 3; i++)
            {
                var own = new LongHistogram(1, 3_600_000_000_000, 3);
                using (FileStream f = File.OpenRead(logs[i]))
                {
                    foreach (HistogramBase h in new HistogramLogReader(f).ReadHistograms())
                        own.Add(h);
                }
                Assert.Equal(results[i].GetProperty("messages").GetInt64(), own.TotalCount);
                Assert.Equal(results[i].GetProperty("latency_us").GetProperty("p99").GetDouble(), own.GetValueAtPercentile(99) / 1000.0);
                all.Add(own);
            }
            Assert.Equal(merged.GetProperty("messages").GetInt64(), all.TotalCount);
            JsonElement latency = merged.GetProperty("latency_us");
            foreach ((double p, string name) in new[] { (50.0, "p50"), (90.0, "p90"), (99.0, "p99"), (99.9, "p99_9") })
                Assert.Equal(all.GetValueAtPercentile(p) / 1000.0, latency.GetProperty(name).GetDouble());
            Assert.Equal(all.GetMaxValue() / 1000.0, latency.GetProperty("max").GetDouble());

            // Started together: the measured windows overlap (each began within a second of the set time).
            double startSeconds = double.Parse(startAt, CultureInfo.InvariantCulture);
            foreach (string log in logs)
            {
                using FileStream f = File.OpenRead(log);
                long first = new HistogramLogReader(f).ReadHistograms().Min(h => h.StartTimeStamp);
                Assert.InRange(first / 1000.0 - startSeconds, 0, 1.5);
            }

            // The text report says the same.
            (code, stdout, _) = await CliProcess.RunAsync(Exit, ["bench", "merge", .. logs]);
            Assert.Equal(0, code);
            Assert.Matches(@"^bench \(merged from 3 logs\) 127\.0\.0\.1:\d+: 12 connections x 32 B", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_bench_log_exits_12_with_one_line_naming_it()
    {
        string file = Path.Combine(Path.GetTempPath(), $"socketlab-not-a-log-{Guid.NewGuid():N}.hlog");
        await File.WriteAllTextAsync(file, "hello\n");
        try
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, "bench", "merge", file);
            Assert.Equal(12, code);
            Assert.Equal("", stdout);
            Assert.Matches($"^socketlab: {System.Text.RegularExpressions.Regex.Escape(file)}: not an HdrHistogram interval log", stderr.Trim());
            Assert.DoesNotContain("\n", stderr.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Open_loop_options_that_do_not_fit_are_refused_with_exit_2()
    {
        foreach (string[] args in new[]
        {
            new[] { "--rate", "fast" },
            new[] { "--rate", "1000/s", "--udp" },
            new[] { "--rate", "1000/s", "--engine", "async" },
            new[] { "--ramp", "5s" },
            new[] { "--rate-search" },
            new[] { "--start-at", "tomorrow" },
        })
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, ["bench", "127.0.0.1", "9", .. args]);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}: {stderr}");
            Assert.Equal("", stdout);
            Assert.Single(stderr.Trim().Split('\n'));
        }
    }

    [Fact]
    public async Task Rate_search_finds_a_rate_that_keeps_p99_under_the_target()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();
        // A generous target on a shared machine: the search must find some rate and report the steps it took.
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(TimeSpan.FromSeconds(120), "bench", "127.0.0.1", port.ToString(),
            "-c", "4", "--size", "32", "--rate", "500/s", "-d", "400ms", "--warmup", "100ms", "--rate-search", "--p99", "200ms", "--json");

        Assert.True(code == 0, $"exit {code}: {stderr}");
        JsonElement r = JsonDocument.Parse(stdout).RootElement;
        JsonElement search = r.GetProperty("rate_search");
        Assert.True(search.GetProperty("found").GetBoolean());
        JsonElement[] steps = [.. search.GetProperty("steps").EnumerateArray()];
        Assert.True(steps.Length >= 2);
        Assert.Contains(steps, s => s.GetProperty("ok").GetBoolean());
        double found = search.GetProperty("rate_per_s").GetDouble();
        Assert.Equal(found, r.GetProperty("rate").GetProperty("set_per_s").GetDouble());
        Assert.True(r.GetProperty("latency_us").GetProperty("p99").GetDouble() <= 200_000);
        // No passing step asked for more than the rate reported.
        Assert.All(steps.Where(s => s.GetProperty("ok").GetBoolean()), s => Assert.True(s.GetProperty("asked_per_s").GetDouble() <= found * 1.02));
    }
}
