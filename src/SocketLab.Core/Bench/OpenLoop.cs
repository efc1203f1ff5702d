using System.Diagnostics;

namespace SocketLab.Core.Bench;

/// <summary>Timing shared by the open-loop engines' waits.</summary>
internal static class OpenLoop
{
    /// <summary>Microseconds from now until <paramref name="due"/>, at least 0 and at most <paramref name="tickMs"/> (the loop's look at the run's state).</summary>
    public static long MicrosUntil(long due, int tickMs)
    {
        if (due == long.MaxValue)
            return tickMs * 1000L;
        long ticks = due - Stopwatch.GetTimestamp();
        return ticks <= 0 ? 0 : Math.Min(tickMs * 1000L, ticks * 1_000_000 / Stopwatch.Frequency);
    }
}
