using SocketLab.Core.Scripting;

namespace SocketLab.Core.Tests.Scripting;

public sealed class ScriptParserTests
{
    [Fact]
    public void Parses_every_command_with_comments_blank_lines_and_within()
    {
        IReadOnlyList<ScriptStep> steps = ScriptParser.Parse("""
            # a comment
            timeout 2s
            frame line
            encoding gbk
            set port "5001"
            connect 127.0.0.1:{{port}} within 1s

            send "a\"b\n"
            send hex "01 ae"
            send text 'lit\n'
            expect "x"
            expect 'y' within 300ms
            expect regex "v=(\d+)"
            expect hex "ff"
            expect bytes 4 within 1m
            expect closed
            sleep 10ms
            print "{{1}}"
            close
            """);
        Assert.Equal(17, steps.Count);
        var connect = Assert.IsType<ConnectStep>(steps[4]);
        Assert.Equal(TimeSpan.FromSeconds(1), connect.Within);
        Assert.Equal(8, steps[5].Line);
        Assert.Equal(@"a\""b\n", Assert.IsType<SendStep>(steps[5]).Payload.Raw);
        Assert.True(Assert.IsType<SendStep>(steps[6]).Hex);
        Assert.False(Assert.IsType<SendStep>(steps[7]).Payload.Escaped);
        Assert.Equal(ExpectKind.Text, Assert.IsType<ExpectStep>(steps[8]).Kind);
        Assert.Equal(ExpectKind.Text, Assert.IsType<ExpectStep>(steps[9]).Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(300), Assert.IsType<ExpectStep>(steps[9]).Within);
        Assert.Equal(@"v=(\d+)", Assert.IsType<ExpectStep>(steps[10]).Argument!.Raw);
        Assert.Equal(ExpectKind.Closed, Assert.IsType<ExpectStep>(steps[13]).Kind);
    }

    [Theory]
    [InlineData("bogus", "unknown command 'bogus'")]
    [InlineData("send \"open", "missing closing \"")]
    [InlineData("send", "send takes 1 argument")]
    [InlineData("expect", "expect needs something")]
    [InlineData("expect bytes 0", "at least 1")]
    [InlineData("expect maybe \"x\"", "cannot read")]
    [InlineData("sleep forever", "'forever' is not a time")]
    [InlineData("frame len3", "unknown framing")]
    [InlineData("encoding klingon", "unknown encoding")]
    [InlineData("set 1-2 x", "not a variable name")]
    public void Errors_name_the_line_and_the_problem(string line, string message)
    {
        var ex = Assert.Throws<ScriptSyntaxException>(() => ScriptParser.Parse("# first\n" + line));
        Assert.Equal(2, ex.Line);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Variables_expand_builtins_sets_and_captures_and_refuse_unknown_names()
    {
        var v = new ScriptVariables { Counter = 3 };
        v.Set("name", "board");
        Assert.Equal("3 board", v.Expand("{{counter}} {{ name }}"));
        Assert.Matches(@"^\d\d:\d\d:\d\d$", v.Expand("{{time}}"));
        v.Capture(System.Text.RegularExpressions.Regex.Match("t=21", @"t=(?<t>\d+)"));
        Assert.Equal("21 t=21", v.Expand("{{t}} {{0}}"));
        Assert.Throws<UnknownVariableException>(() => v.Expand("{{nope}}"));
    }
}
