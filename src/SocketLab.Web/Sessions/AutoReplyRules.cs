using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SocketLab.Core.Text;

namespace SocketLab.Web.Sessions;

/// <summary>How a rule recognises received data.</summary>
public enum MatchKind
{
    Equals,
    Contains,
    Regex,
    Hex,
}

/// <summary>One auto-reply rule as the page edits it. <see cref="Reply"/> is a template (see <see cref="AutoReplyRules"/>).</summary>
public sealed record AutoReplyRule(MatchKind Match, string Pattern, string Reply, bool ReplyIsHex = false, bool Enabled = true);

/// <summary>
/// Answers received data by rule: the first enabled rule that matches renders its reply template.
/// Templates know <c>{{counter}}</c> (how many times this rule fired), <c>{{time}}</c> (HH:mm:ss),
/// for regex rules <c>{{0}}</c>, <c>{{1}}</c>… and <c>{{name}}</c> for captures, and every other field
/// macro of <see cref="MacroContext"/> (<c>{{unix_ms}}</c>, <c>{{random:N}}</c>, <c>{{hex:…}}</c>…).
/// Text rules see the received chunk decoded; hex rules match when the raw bytes contain the sequence.
/// </summary>
public sealed class AutoReplyRules
{
    public const int MaxRules = 32;
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly Regex Placeholder = new(@"\{\{([A-Za-z0-9_]+)\}\}", RegexOptions.Compiled);

    private Compiled[] _rules = [];

    public IReadOnlyList<AutoReplyRule> Rules => _rules.Select(r => r.Rule).ToArray();

    /// <summary>Whether there is any rule (asked for every received message: no copy of the list).</summary>
    public bool Any => _rules.Length > 0;

    /// <summary>Replaces the rules; returns an error for the first bad one and keeps the old set then.</summary>
    public string? TrySet(IReadOnlyList<AutoReplyRule> rules)
    {
        if (rules.Count > MaxRules)
            return $"at most {MaxRules} rules";
        var compiled = new Compiled[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            AutoReplyRule r = rules[i];
            Regex? regex = null;
            byte[]? hex = null;
            if (r.Match == MatchKind.Regex)
            {
                try { regex = new Regex(r.Pattern, RegexOptions.None, RegexTimeout); }
                catch (ArgumentException ex) { return $"rule {i + 1}: bad regex: {ex.Message}"; }
            }
            else if (r.Match == MatchKind.Hex)
            {
                if (!HexParser.TryParse(r.Pattern, out hex, out string? error))
                    return $"rule {i + 1}: bad hex pattern: {error}";
                if (hex.Length == 0)
                    return $"rule {i + 1}: empty hex pattern";
            }
            if (r.ReplyIsHex && !HexParser.TryParse(r.Reply, out _, out string? replyError))
                return $"rule {i + 1}: bad hex reply: {replyError}";
            compiled[i] = new Compiled(r, regex, hex);
        }
        _rules = compiled;
        return null;
    }

    /// <summary>The reply bytes for this chunk, or null when no rule matches.</summary>
    public byte[]? Answer(ReadOnlySpan<byte> data, string text, Encoding encoding, DateTimeOffset now, MacroContext? macros = null)
    {
        foreach (Compiled c in _rules)
        {
            if (!c.Rule.Enabled)
                continue;
            Match? m = null;
            bool hit = c.Rule.Match switch
            {
                MatchKind.Equals => TrimEol(text) == c.Rule.Pattern,
                MatchKind.Contains => c.Rule.Pattern.Length > 0 && text.Contains(c.Rule.Pattern, StringComparison.Ordinal),
                MatchKind.Regex => TryMatch(c.Regex!, text, out m),
                MatchKind.Hex => data.IndexOf(c.Hex) >= 0,
                _ => false,
            };
            if (!hit)
                continue;
            long counter = Interlocked.Increment(ref c.Counter);
            string rendered = Render(c.Rule.Reply, counter, now, c.Regex, m);
            // The session's other fields ({{unix_ms}}, {{random:N}}, {{hex:…}}, {{time:FORMAT}}…) too; a reply
            // whose field is wrong is sent as written, so the mistake shows in the log.
            if (macros is not null && rendered.Contains("{{", StringComparison.Ordinal)
                && new Payload(encoding, c.Rule.ReplyIsHex, Macros: macros).TryBuild(rendered, out byte[]? expanded, out _, out _))
                return expanded;
            if (!c.Rule.ReplyIsHex)
                return encoding.GetBytes(rendered);
            return HexParser.TryParse(rendered, out byte[]? bytes, out _) ? bytes : null;
        }
        return null;
    }

    /// <summary>Fills a template; unknown placeholders stay as they are, so a typo is visible in the reply.</summary>
    public static string Render(string template, long counter, DateTimeOffset now, Regex? regex = null, Match? match = null) =>
        Placeholder.Replace(template, p =>
        {
            string name = p.Groups[1].Value;
            if (name == "counter")
                return counter.ToString(CultureInfo.InvariantCulture);
            if (name == "time")
                return now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
            if (match is not null && regex is not null)
            {
                Group g = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < match.Groups.Count
                    ? match.Groups[n]
                    : match.Groups[name];
                if (g.Success)
                    return g.Value;
            }
            return p.Value;
        });

    // A line typed in a terminal arrives with its line ending; "equals" means the line itself.
    private static string TrimEol(string text) => text.TrimEnd('\r', '\n');

    private static bool TryMatch(Regex regex, string text, out Match? match)
    {
        try
        {
            match = regex.Match(text);
            return match.Success;
        }
        catch (RegexMatchTimeoutException)
        {
            match = null;
            return false;
        }
    }

    private sealed class Compiled(AutoReplyRule rule, Regex? regex, byte[]? hex)
    {
        public AutoReplyRule Rule { get; } = rule;
        public Regex? Regex { get; } = regex;
        public byte[]? Hex { get; } = hex;
        public long Counter;
    }
}
