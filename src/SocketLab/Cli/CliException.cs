namespace SocketLab.Cli;

/// <summary>A failure worded for the user, with the exit code it maps to; Program prints the one line.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
