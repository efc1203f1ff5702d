using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text.RegularExpressions;

namespace SocketLab.Cli;

/// <summary>
/// Help output without the library's second "[default: 00:00:05]": our descriptions already state
/// each default the way users type it ("[default: 5s]"), which the library cannot be told.
/// </summary>
public sealed partial class TidyHelp(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
{
    public static void Install(RootCommand root)
    {
        foreach (HelpOption help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is SynchronousCommandLineAction action and not TidyHelp)
                help.Action = new TidyHelp(action);
        }
    }

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        InvocationConfiguration config = parseResult.InvocationConfiguration;
        TextWriter output = config.Output;
        var captured = new StringWriter();
        config.Output = captured;
        int code;
        try
        {
            code = inner.Invoke(parseResult);
        }
        finally
        {
            config.Output = output;
        }
        output.Write(SecondDefault().Replace(captured.ToString(), "$1"));
        return code;
    }

    [GeneratedRegex(@"(\[default: [^\]\n]*\]) \[default: [^\]\n]*\]")]
    private static partial Regex SecondDefault();
}
