using System.Globalization;

namespace SocketLab.Core.Text;

/// <summary>
/// Byte counts as people write them: "32", "512b", "64k", "64KiB", "1.5M", "1G". Units are powers of
/// 1024 whichever spelling is used (k, kb, ki, kib); a fraction needs a unit and rounds down to whole bytes.
/// </summary>
public static class ByteSizes
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        string t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b'))
            t = t[..^1];
        long scale = 1;
        if (t.EndsWith('i'))
        {
            t = t[..^1];
            if (t.Length == 0 || t[^1] is not ('k' or 'm' or 'g'))
                return false;   // "5ib" or "5i": a binary prefix without its unit letter.
        }
        if (t.Length > 0 && t[^1] is 'k' or 'm' or 'g')
        {
            scale = t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, _ => 1L << 30 };
            t = t[..^1];
        }
        if (t.Length == 0 || !char.IsAsciiDigit(t[0])
            || !decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal n))
            return false;
        if (scale == 1 && n != decimal.Truncate(n))
            return false;       // "1.5" bytes.
        decimal bytes = decimal.Floor(n * scale);
        if (bytes > long.MaxValue)
            return false;
        value = (long)bytes;
        return true;
    }
}
