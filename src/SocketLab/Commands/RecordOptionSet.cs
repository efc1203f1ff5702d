using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary><c>--record FILE.jsonl</c> and <c>--record-max-size</c>, shared by every command that talks to peers.</summary>
public sealed class RecordOptionSet
{
    public Option<string?> Record { get; } = new("--record") { Description = "Append every open, close and data event to this JSONL transcript (see docs/transcripts.md)" };
    public Option<long> MaxSize { get; } = CommonOptions.Size("--record-max-size", "With --record: start a new file (keeping 5 older ones as NAME.1.jsonl…) when it would pass this size; 0 = never [default: 0]", 0);

    public void AddTo(Command command)
    {
        command.Options.Add(Record);
        command.Options.Add(MaxSize);
    }

    /// <summary>
    /// While a command runs: a failed write (disk full…) is told once on the console, and the first stop
    /// signal ends the recording (what was recorded ends on a whole line; nothing after the signal).
    /// </summary>
    public static CancellationTokenRegistration Watch(TranscriptWriter? writer, ConsoleSink sink, CancellationToken stop)
    {
        if (writer is null)
            return default;
        writer.Failed += sink.Error;
        return stop.Register(writer.Dispose);
    }

    /// <summary>A command that would end well ends with <see cref="ExitCodes.FileError"/> when its recording failed on the way.</summary>
    public static int ExitCode(int code, TranscriptWriter? writer) =>
        code == ExitCodes.Ok && writer?.Failure is not null ? ExitCodes.FileError : code;

    /// <summary>Opens the transcript, or returns false after printing one line (exit <see cref="ExitCodes.FileError"/>).</summary>
    public bool TryOpen(ParseResult r, out TranscriptWriter? writer)
    {
        writer = null;
        string? path = r.GetValue(Record);
        if (string.IsNullOrEmpty(path))
            return true;
        try
        {
            writer = new TranscriptWriter(path, r.GetValue(MaxSize));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"socketlab: cannot write --record file '{path}': {ex.Message}");
            return false;
        }
    }
}
