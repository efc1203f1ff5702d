using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Field macros in a message: <c>{{counter}}</c> (and <c>{{counter:START,STEP}}</c>), <c>{{time}}</c>
/// (HH:mm:ss, or <c>{{time:FORMAT}}</c> with a .NET format such as <c>HH:mm:ss.fff</c>),
/// <c>{{unix_ms}}</c>, <c>{{random:N}}</c> (N random bytes), <c>{{hex:01 02}}</c> (those bytes) and
/// <c>{{file:PATH}}</c> (a file's bytes, at most <see cref="MaxFileBytes"/>). A macro is the same bytes
/// in text and HEX mode: counters and times are their digits in the message's encoding. One context per
/// session (the page) or per run (the CLI) keeps the counters. Thread-safe.
/// </summary>
public sealed class MacroContext(Func<DateTimeOffset>? clock = null)
{
    public const int MaxRandomBytes = 64 * 1024;
    public const int MaxFileBytes = 16 * 1024 * 1024;

    private readonly Func<DateTimeOffset> _clock = clock ?? (() => DateTimeOffset.Now);
    private readonly Dictionary<(long Start, long Step), long> _counters = [];

    /// <summary>Next value of the counter that starts at <paramref name="start"/> and moves by <paramref name="step"/>.</summary>
    public long Next(long start, long step)
    {
        lock (_counters)
        {
            long value = _counters.TryGetValue((start, step), out long last) ? last + step : start;
            _counters[(start, step)] = value;
            return value;
        }
    }

    public DateTimeOffset Now => _clock();

    /// <summary>
    /// Cuts <paramref name="text"/> into literal pieces (for the caller to encode its way) and macro
    /// bytes; a macro that is not one of the above, or is malformed, is an error with its position.
    /// </summary>
    public bool TryExpand(string text, Encoding encoding, Func<string, byte[]?> literal, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var output = new List<byte>(text.Length);
        int at = 0;
        while (at < text.Length)
        {
            int open = text.IndexOf("{{", at, StringComparison.Ordinal);
            int end = open < 0 ? -1 : text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (open < 0 || end < 0)
            {
                if (!Add(literal(text[at..]), output))
                    return Fail(out bytes, out error, null);
                break;
            }
            if (open > at && !Add(literal(text[at..open]), output))
                return Fail(out bytes, out error, null);
            string macro = text[(open + 2)..end];
            if (!TryMacro(macro, encoding, out byte[]? value, out string? why))
                return Fail(out bytes, out error, $"{{{{{macro}}}}} at position {open + 1}: {why}");
            output.AddRange(value);
            at = end + 2;
        }
        bytes = output.ToArray();
        error = null;
        return true;
    }

    private static bool Add(byte[]? piece, List<byte> output)
    {
        if (piece is null)
            return false;
        output.AddRange(piece);
        return true;
    }

    private static bool Fail(out byte[]? bytes, out string? error, string? why)
    {
        bytes = null;
        error = why; // null: the literal callback already failed and keeps its own message
        return false;
    }

    private bool TryMacro(string macro, Encoding encoding, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? why)
    {
        int colon = macro.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? macro : macro[..colon]).Trim().ToLowerInvariant();
        string? arg = colon < 0 ? null : macro[(colon + 1)..];
        value = null;
        why = null;
        switch (name)
        {
            case "counter":
                long start = 1, step = 1;
                if (arg is not null)
                {
                    string[] p = arg.Split(',', StringSplitOptions.TrimEntries);
                    if (p.Length is < 1 or > 2 || !long.TryParse(p[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out start)
                        || (p.Length == 2 && !long.TryParse(p[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step)))
                    {
                        why = "write {{counter}} or {{counter:START,STEP}}";
                        return false;
                    }
                }
                value = encoding.GetBytes(Next(start, step).ToString(CultureInfo.InvariantCulture));
                return true;
            case "time":
                try
                {
                    value = encoding.GetBytes(Now.ToString(string.IsNullOrEmpty(arg) ? "HH:mm:ss" : arg, CultureInfo.InvariantCulture));
                    return true;
                }
                catch (FormatException)
                {
                    why = $"'{arg}' is not a time format (e.g. HH:mm:ss.fff)";
                    return false;
                }
            case "unix_ms":
                value = encoding.GetBytes(Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                return true;
            case "random":
                if (!int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxRandomBytes)
                {
                    why = $"write {{{{random:N}}}} with N from 1 to {MaxRandomBytes}";
                    return false;
                }
                value = RandomNumberGenerator.GetBytes(n);
                return true;
            case "hex":
                if (!HexParser.TryParse(arg ?? "", out value, out string? hexError))
                {
                    why = $"bad hex: {hexError}";
                    return false;
                }
                return true;
            case "file":
                return TryFile(arg, out value, out why);
            default:
                why = "unknown field (use counter, time, unix_ms, random:N, hex:…, file:PATH)";
                return false;
        }
    }

    private static bool TryFile(string? path, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? why)
    {
        value = null;
        why = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            why = "write {{file:PATH}}";
            return false;
        }
        try
        {
            var info = new FileInfo(path.Trim());
            if (info.Length > MaxFileBytes)
            {
                why = $"{info.FullName} is {info.Length} bytes; a field takes at most {MaxFileBytes} (send a large file as a file, not as a field)";
                return false;
            }
            value = File.ReadAllBytes(info.FullName);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            why = ex.Message;
            return false;
        }
    }
}
