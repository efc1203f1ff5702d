using System.CommandLine;
using SocketLab.Core.Bench;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab bench merge FILE…</c>: one report from the interval logs of several generators (<c>bench --hdr-log</c>).</summary>
public static class BenchMergeCommand
{
    public static Command Create()
    {
        Argument<string[]> files = new("files") { Description = "Interval logs written by socketlab bench --hdr-log", Arity = ArgumentArity.OneOrMore };
        Option<bool> json = new("--json") { Description = "Print the merged result as one JSON object" };
        Option<FileInfo?> report = new("--report") { Description = "Also draw the merged latency into FILE.svg or FILE.html" };
        var command = new Command("merge", "Merge the HdrHistogram interval logs of several bench runs (one per generator) into one report")
        {
            files, json, report,
        };
        command.SetAction(r =>
        {
            BenchResult merged;
            try
            {
                merged = BenchLogMerge.Merge(r.GetValue(files)!);
            }
            catch (InvalidDataException ex)
            {
                throw new CliException(ExitCodes.FileError, ex.Message);
            }
            return BenchCommand.Finish(merged, r.GetValue(report), r.GetValue(json));
        });
        return command;
    }
}
