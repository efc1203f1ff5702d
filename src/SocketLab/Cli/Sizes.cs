using System.Globalization;

namespace SocketLab.Cli;

/// <summary>Byte sizes as people write them: "500k", "10M", "1G" (powers of 1024, "b"/"ib" optional); a bare number is bytes.</summary>
public static class Sizes
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        string t = text.Trim().ToLowerInvariant();
        if (t.EndsWith("ib", StringComparison.Ordinal))
            t = t[..^2];
        else if (t.EndsWith('b'))
            t = t[..^1];
        long scale = 1;
        if (t.Length > 0 && t[^1] is 'k' or 'm' or 'g')
        {
            scale = t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, _ => 1L << 30 };
            t = t[..^1];
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || n < 0 || n * scale > long.MaxValue / 2)
            return false;
        value = (long)(n * scale);
        return true;
    }
}
