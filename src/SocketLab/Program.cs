using System.CommandLine;
using System.CommandLine.Parsing;
using SocketLab.Cli;
using SocketLab.Cli.Commands;
using SocketLab.Core.Net;

SocketEngineSettings.Apply(args);
BundledNativeLibraries.Install();

RootCommand root = CommandTable.Root("SocketLab: the mPython board's TCP server and client, and the phone's Network Test Utility, on a PC", args);

TidyHelp.Install(root);
// No response files: "@mPython" or "@hi" is text to draw or send, and "@/etc/x" must not pull a file into the arguments.
ParseResult parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parsed.Errors.Count > 0 && parsed.Action is not TidyHelp)
{
    string command = string.Join(' ', CommandPath(parsed.CommandResult));
    // "Unrecognized …" says more than the "Required command was not provided" that comes with it.
    ParseError first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
    Console.Error.WriteLine($"{command}: {first.Message} (see '{command} --help')");
    return ExitCodes.Usage;
}

try
{
    // Signals are handled by the commands themselves (graceful stop, then forced).
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (CliException ex)
{
    Console.Error.WriteLine($"socketlab: {ex.Message}");
    return ex.ExitCode;
}
catch (NetworkException ex)
{
    Console.Error.WriteLine($"socketlab: {NetworkErrorText.Of(ex)}");
    return ExitCodes.For(ex.Kind);
}
catch (Exception ex)
{
    Console.Error.WriteLine($"socketlab: unexpected error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
    return ExitCodes.Failure;
}


// "socketlab udp send" for a subcommand, so the error names what the user typed.
static IEnumerable<string> CommandPath(CommandResult result)
{
    var names = new Stack<string>();
    for (SymbolResult? r = result; r is not null; r = r.Parent)
    {
        if (r is CommandResult c)
            names.Push(c.Parent is null ? "socketlab" : c.Command.Name);
    }
    return names;
}
