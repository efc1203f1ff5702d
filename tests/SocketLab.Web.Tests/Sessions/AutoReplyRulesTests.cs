using System.Text;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Tests.Sessions;

public sealed class AutoReplyRulesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 5, TimeSpan.Zero);

    private static string? Answer(AutoReplyRules rules, string text) =>
        rules.Answer(Encoding.UTF8.GetBytes(text), text, Encoding.UTF8, Noon) is { } b ? Encoding.UTF8.GetString(b) : null;

    [Fact]
    public void Equals_ignores_the_line_ending_contains_counts_and_the_first_match_wins()
    {
        var rules = new AutoReplyRules();
        Assert.Null(rules.TrySet([
            new AutoReplyRule(MatchKind.Equals, "ping", "pong {{counter}}"),
            new AutoReplyRule(MatchKind.Contains, "ping", "never"),
            new AutoReplyRule(MatchKind.Contains, "你好", "收到 {{time}}"),
        ]));
        Assert.Equal("pong 1", Answer(rules, "ping\r\n"));
        Assert.Equal("pong 2", Answer(rules, "ping"));
        Assert.Equal("never", Answer(rules, "a ping b"));
        Assert.Equal("收到 12:00:05", Answer(rules, "你好，掌控板"));
        Assert.Null(Answer(rules, "nothing"));
    }

    [Fact]
    public void Regex_captures_fill_the_template_and_unknown_placeholders_stay_visible()
    {
        var rules = new AutoReplyRules();
        Assert.Null(rules.TrySet([new AutoReplyRule(MatchKind.Regex, @"(\w+)=(?<v>\d+)", "{{1}} is {{v}} {{oops}}")]));
        Assert.Equal("temp is 23 {{oops}}", Answer(rules, "temp=23"));
    }

    [Fact]
    public void Disabled_rules_are_skipped_and_bad_rules_keep_the_old_set()
    {
        var rules = new AutoReplyRules();
        Assert.Null(rules.TrySet([new AutoReplyRule(MatchKind.Contains, "a", "A", Enabled: false), new AutoReplyRule(MatchKind.Contains, "a", "B")]));
        Assert.Equal("B", Answer(rules, "a"));
        Assert.StartsWith("rule 1: bad regex", rules.TrySet([new AutoReplyRule(MatchKind.Regex, "(", "x")]));
        Assert.StartsWith("rule 1: bad hex pattern", rules.TrySet([new AutoReplyRule(MatchKind.Hex, "zz", "x")]));
        Assert.StartsWith("rule 1: bad hex reply", rules.TrySet([new AutoReplyRule(MatchKind.Contains, "a", "qq", ReplyIsHex: true)]));
        Assert.Equal("B", Answer(rules, "a"));
    }
}
