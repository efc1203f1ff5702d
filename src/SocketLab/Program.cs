using System.CommandLine;
using SocketLab.Cli;
using SocketLab.Cli.Commands;
using SocketLab.Core.Net;

var root = new RootCommand("SocketLab: the mPython board's TCP server and client, and the phone's Network Test Utility, on a PC")
{
    ServerCommand.Create(),
    ClientCommand.Create(),
    UiCommand.Create(),
};

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    string command = parsed.CommandResult.Command == root ? "socketlab" : $"socketlab {parsed.CommandResult.Command.Name}";
    Console.Error.WriteLine($"{command}: {parsed.Errors[0].Message} (see '{command} --help')");
    return ExitCodes.Usage;
}

try
{
    // Signals are handled by the commands themselves (graceful stop, then forced).
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (NetworkException ex)
{
    Console.Error.WriteLine($"socketlab: {ex.Message}");
    return ExitCodes.For(ex.Kind);
}
catch (Exception ex)
{
    Console.Error.WriteLine($"socketlab: unexpected error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
    return ExitCodes.Failure;
}
