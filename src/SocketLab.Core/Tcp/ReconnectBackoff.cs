namespace SocketLab.Core.Tcp;

/// <summary>
/// Exponential back-off with full jitter for reconnect loops: each delay is random in
/// [Initial·2ⁿ/2, Initial·2ⁿ], capped at <see cref="Max"/>, and never below <see cref="Minimum"/>,
/// so a refused connection can never make a loop spin.
/// </summary>
public sealed class ReconnectBackoff
{
    /// <summary>No delay is ever shorter than this.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(50);

    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(TimeSpan initial, TimeSpan max, Random? random = null)
    {
        Initial = initial < Minimum ? Minimum : initial;
        Max = max < Initial ? Initial : max;
        _random = random ?? Random.Shared;
    }

    public TimeSpan Initial { get; }
    public TimeSpan Max { get; }

    /// <summary>How many delays were handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    public TimeSpan Next()
    {
        double ceiling = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        double ms = ceiling / 2 + _random.NextDouble() * ceiling / 2;
        return TimeSpan.FromMilliseconds(Math.Max(ms, Minimum.TotalMilliseconds));
    }

    /// <summary>Call after a connection that worked, so the next failure starts small again.</summary>
    public void Reset() => _attempt = 0;
}
