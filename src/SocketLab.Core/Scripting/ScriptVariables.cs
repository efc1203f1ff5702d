using System.Globalization;
using System.Text.RegularExpressions;

namespace SocketLab.Core.Scripting;

/// <summary>A <c>{{name}}</c> that has no value; the message names it (a front end says how its users give one).</summary>
public sealed class UnknownVariableException(string name) : Exception($"unknown variable {{{{{name}}}}} (set it with 'set', a regex capture, or give it to the run)")
{
    public string Name { get; } = name;
}

/// <summary>An expansion that would grow past <see cref="ScriptVariables.MaxExpandedLength"/> characters; the message says so.</summary>
public sealed class ExpansionTooLargeException(int limit) : Exception($"variables expand to more than {limit / (1024 * 1024)} Mi characters here (a value built from itself again and again?)");

/// <summary>
/// The values <c>{{name}}</c> stands for: <c>counter</c> (number of the latest send), <c>time</c>
/// (HH:mm:ss), <c>timestamp</c> (Unix milliseconds), regex captures <c>{{0}}</c>, <c>{{1}}</c>… and named
/// groups, and names given with <c>set</c> or <c>--var</c>.
/// </summary>
public sealed partial class ScriptVariables
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public int Counter { get; set; }

    public static bool IsName(string text) => NamePattern().IsMatch(text);

    public void Set(string name, string value) => _values[name] = value;

    public bool TryGet(string name, out string value)
    {
        switch (name)
        {
            case "counter": value = Counter.ToString(CultureInfo.InvariantCulture); return true;
            case "time": value = DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture); return true;
            case "timestamp": value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture); return true;
        }
        return _values.TryGetValue(name, out value!);
    }

    /// <summary>Longest text one expansion may produce (1 Mi characters): values built from themselves grow exponentially.</summary>
    public const int MaxExpandedLength = 1024 * 1024;

    /// <summary>
    /// Replaces every <c>{{name}}</c>; <paramref name="escape"/> prepares a value for where it lands (regex, escaped text).
    /// Throws <see cref="ExpansionTooLargeException"/> before the result passes <see cref="MaxExpandedLength"/>.
    /// </summary>
    public string Expand(string template, Func<string, string>? escape = null)
    {
        var sb = new System.Text.StringBuilder();
        int at = 0;
        foreach (Match m in Reference().Matches(template))
        {
            string name = m.Groups[1].Value;
            if (!TryGet(name, out string value))
                throw new UnknownVariableException(name);
            string piece = escape is null ? value : escape(value);
            if ((long)sb.Length + (m.Index - at) + piece.Length > MaxExpandedLength)
                throw new ExpansionTooLargeException(MaxExpandedLength);
            sb.Append(template, at, m.Index - at).Append(piece);
            at = m.Index + m.Length;
        }
        if (at == 0)
            return template;
        return sb.Append(template, at, template.Length - at).ToString();
    }

    /// <summary>Keeps the groups of a regex match: {{0}} is the whole match, then numbers and names.</summary>
    public void Capture(Match match)
    {
        foreach (Group g in match.Groups)
        {
            if (g.Success)
                _values[g.Name] = g.Value;
        }
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z0-9_]+$")]
    private static partial Regex NamePattern();
}
