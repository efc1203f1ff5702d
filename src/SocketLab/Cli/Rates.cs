using System.Globalization;

namespace SocketLab.Cli;

/// <summary>Rates as people write them: "50k/s", "50000", "1.5M/s", "200/s" (k and M are 1000-based: a rate is a count, not a size).</summary>
public static class Rates
{
    public static bool TryParse(string text, out double perSecond)
    {
        perSecond = 0;
        string t = text.Trim();
        if (t.EndsWith("/s", StringComparison.OrdinalIgnoreCase))
            t = t[..^2];
        double scale = 1;
        if (t.Length > 0 && t[^1] is 'k' or 'K' or 'm' or 'M')
        {
            scale = t[^1] is 'k' or 'K' ? 1e3 : 1e6;
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || n * scale <= 0 || double.IsInfinity(n * scale))
            return false;
        perSecond = n * scale;
        return true;
    }

    /// <summary>A wall-clock time: RFC 3339 / ISO 8601 ("2026-12-01T20:00:00Z"; without an offset it is UTC) or seconds since the Unix epoch.</summary>
    public static bool TryParseWallClock(string text, out DateTimeOffset at)
    {
        string t = text.Trim().TrimStart('@');
        if (double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds))
        {
            at = default;
            if (seconds > 253_402_300_799) // After the year 9999.
                return false;
            at = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            return true;
        }
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }
}
