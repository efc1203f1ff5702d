using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Capture;
using SocketLab.Core.Tcp;
using SocketLab.Core.Udp;

namespace SocketLab.Cli.Commands;

/// <summary><c>--save PATH</c>: what peers send, straight to disk (client and udp listen: one file; server: one file per client in a folder).</summary>
public sealed class SaveOptionSet(bool perConnection)
{
    public Option<string?> Save { get; } = new("--save")
    {
        Description = perConnection
            ? "Save what each client sends, byte-exact, to FOLDER/ID-ADDRESS_PORT.bin (appended; not through the console)"
            : "Append what arrives, byte-exact, to this file as it arrives (not through the console)",
    };

    public void AddTo(Command command) => command.Options.Add(Save);

    /// <summary>Opens the file or folder, or prints one line and returns false (exit <see cref="ExitCodes.FileError"/>).</summary>
    public bool TryOpen(ParseResult r, out ReceivedFiles? saver)
    {
        saver = null;
        string? path = r.GetValue(Save);
        if (string.IsNullOrEmpty(path))
            return true;
        try
        {
            saver = new ReceivedFiles(path, perConnection);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"socketlab: cannot write --save {(perConnection ? "folder" : "file")} '{path}': {ex.Message}");
            return false;
        }
    }

    /// <summary>The TCP observers with the saver after them; a failed write is told once on the console.</summary>
    public static List<IConnectionObserver> With(List<IConnectionObserver> observers, ReceivedFiles? saver, ConsoleSink sink)
    {
        if (saver is not null)
        {
            saver.Failed += sink.Error;
            observers.Add(saver);
        }
        return observers;
    }

    /// <summary>The same for the UDP observers of <c>udp listen</c>.</summary>
    public static List<IUdpObserver> With(List<IUdpObserver> observers, ReceivedFiles? saver, ConsoleSink sink)
    {
        if (saver is not null)
        {
            saver.Failed += sink.Error;
            observers.Add(saver);
        }
        return observers;
    }

    /// <summary>A command that would end well ends with <see cref="ExitCodes.FileError"/> when saving failed on the way.</summary>
    public static int ExitCode(int code, ReceivedFiles? saver) =>
        code == ExitCodes.Ok && saver?.Failure is not null ? ExitCodes.FileError : code;
}
