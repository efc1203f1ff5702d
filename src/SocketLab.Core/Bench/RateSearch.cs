namespace SocketLab.Core.Bench;

/// <summary>One open-loop run of a rate search and whether it kept the target.</summary>
public sealed record RateStep(double AskedPerSecond, double AchievedPerSecond, double P99Micros, bool Ok);

/// <summary>The outcome of a rate search: the best run that kept the target (or, when none did, the first run) and every step.</summary>
public sealed record RateSearchResult(BenchResult Result, bool Found, TimeSpan P99Target, IReadOnlyList<RateStep> Steps);

/// <summary>
/// Finds the highest open-loop rate whose p99 stays under a target (tcpkali's <c>-r @latency</c> idea):
/// runs the bench at a rate, doubles it while the target holds, then halves the gap between the last
/// rate that held and the first that did not until they are within 5 %. A step holds when the run is
/// clean, its p99 is at most the target, and it achieved at least 95 % of the rate asked.
/// </summary>
public static class RateSearch
{
    private const double Tolerance = 0.05;
    private const int MaxSteps = 24;

    public static async Task<RateSearchResult> RunAsync(BenchOptions options, TimeSpan p99Target, Action<RateStep>? stepDone = null,
        Action<BenchSample>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p99Target, TimeSpan.Zero);
        double rate = options.Rate ?? 1000;
        double? good = null, bad = null;
        BenchResult? best = null, first = null;
        var steps = new List<RateStep>();
        while (steps.Count < MaxSteps && !ct.IsCancellationRequested)
        {
            BenchResult r = await EchoBench.RunAsync(options with { Rate = rate }, progress, ct).ConfigureAwait(false);
            first ??= r;
            double achieved = r.MessagesPerSecond;
            double p99 = r.LatencyMicros(99);
            bool ok = r.Ok && p99 <= p99Target.TotalMicroseconds && r.AskedPerSecond is double asked && achieved >= asked * (1 - Tolerance);
            var step = new RateStep(r.AskedPerSecond ?? rate, achieved, p99, ok);
            steps.Add(step);
            stepDone?.Invoke(step);
            if (r.Mismatch is not null)
                break; // A corrupting server: no rate is worth reporting.
            if (ok)
            {
                good = rate;
                best = r;
            }
            else
            {
                bad = rate;
            }
            if (bad is null)
                rate *= 2;
            else if (good is null)
                rate /= 2;
            else if (bad.Value - good.Value <= good.Value * Tolerance)
                break;
            else
                rate = (good.Value + bad.Value) / 2;
            if (rate < 1)
                break;
        }
        return new RateSearchResult(best ?? first!, best is not null, p99Target, steps);
    }
}
