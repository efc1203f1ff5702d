using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Framing;

/// <summary>
/// A framing choice as users write it: <c>raw</c>, <c>line</c>, <c>crlf</c>, <c>nul</c>,
/// <c>delim:TEXT</c> (escapes \r \n \t \0 \xNN), <c>fixed:N</c>, <c>len1</c>, <c>len2be</c>,
/// <c>len2le</c>, <c>len4be</c>, <c>len4le</c> (<c>len2</c>/<c>len4</c> mean big-endian).
/// </summary>
public sealed record FrameSpec
{
    public const int DefaultMaxFrameSize = 1024 * 1024;

    public static IReadOnlyList<string> Forms { get; } = ["raw", "line", "crlf", "nul", "delim:TEXT", "fixed:N", "len1", "len2be", "len2le", "len4be", "len4le"];

    private readonly Func<int, IFrameDecoder> _create;

    private FrameSpec(string text, Func<int, IFrameDecoder> create)
    {
        Text = text;
        _create = create;
    }

    public static FrameSpec Raw { get; } = new("raw", _ => new RawFramer());

    /// <summary>The spec as the user wrote it.</summary>
    public string Text { get; }

    public bool IsRaw => Text == "raw";

    /// <summary>A fresh decoder (one per connection and direction).</summary>
    public IFrameDecoder CreateDecoder(int maxFrameSize = DefaultMaxFrameSize) => _create(maxFrameSize);

    public static bool TryParse(string text, [NotNullWhen(true)] out FrameSpec? spec, [NotNullWhen(false)] out string? error)
    {
        string t = text.Trim();
        string lower = t.ToLowerInvariant();
        spec = null;
        error = null;
        switch (lower)
        {
            case "raw": spec = Raw; return true;
            case "line": spec = new(t, max => new DelimiterFramer("\n"u8, max, trimCarriageReturn: true)); return true;
            case "crlf": spec = new(t, max => new DelimiterFramer("\r\n"u8, max)); return true;
            case "nul": spec = new(t, max => new DelimiterFramer([0], max)); return true;
            case "len1": spec = new(t, max => new LengthPrefixFramer(1, true, max)); return true;
            case "len2" or "len2be": spec = new(t, max => new LengthPrefixFramer(2, true, max)); return true;
            case "len2le": spec = new(t, max => new LengthPrefixFramer(2, false, max)); return true;
            case "len4" or "len4be": spec = new(t, max => new LengthPrefixFramer(4, true, max)); return true;
            case "len4le": spec = new(t, max => new LengthPrefixFramer(4, false, max)); return true;
        }
        if (lower.StartsWith("fixed:", StringComparison.Ordinal))
        {
            if (int.TryParse(t[6..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
            {
                spec = new(t, _ => new FixedLengthFramer(n));
                return true;
            }
            error = $"fixed:N needs a length of at least 1, got '{t[6..]}'";
            return false;
        }
        if (lower.StartsWith("delim:", StringComparison.Ordinal))
        {
            if (!Escapes.TryDecode(t[6..], Encoding.UTF8, out byte[]? delimiter, out error))
                return false;
            if (delimiter.Length == 0)
            {
                error = "delim:TEXT needs at least one byte";
                return false;
            }
            spec = new(t, max => new DelimiterFramer(delimiter, max));
            return true;
        }
        error = $"unknown framing '{text}' (use one of: {string.Join(", ", Forms)})";
        return false;
    }

    public override string ToString() => Text;
}
