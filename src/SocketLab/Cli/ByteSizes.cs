using System.Globalization;

namespace SocketLab.Cli;

/// <summary>Byte counts as people write them: "32", "512B", "64k", "64KiB", "1M" (k and M are 1024-based).</summary>
public static class ByteSizes
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        string t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b'))
            t = t[..^1];
        if (t.EndsWith('i'))
            t = t[..^1];
        (string number, long scale) = t switch
        {
            _ when t.EndsWith('k') => (t[..^1], 1024L),
            _ when t.EndsWith('m') => (t[..^1], 1024L * 1024),
            _ => (t, 1L),
        };
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > long.MaxValue / scale)
            return false;
        value = n * scale;
        return true;
    }
}
