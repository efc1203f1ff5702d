using System.CommandLine;
using SocketLab.Core.Net;
using SocketLab.Core.Scripting;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab expect SCRIPT</c>: run a scripted conversation and check every reply (docs/expect.md).</summary>
public static class ExpectCommand
{
    public static Command Create()
    {
        Argument<string> script = new("script") { Description = "The script file (see docs/expect.md); '-' reads standard input" };
        Option<string[]> vars = new("--var", "-D")
        {
            Description = "Give a variable a value, NAME=VALUE (repeatable); it wins over 'set' in the script",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r =>
            {
                foreach (var t in r.Tokens)
                {
                    int eq = t.Value.IndexOf('=');
                    if (eq <= 0 || !ScriptVariables.IsName(t.Value[..eq]))
                        r.AddError($"--var takes NAME=VALUE (NAME of letters, digits and _), got '{t.Value}'");
                }
                return r.Tokens.Select(t => t.Value).ToArray();
            },
        };
        Option<bool> verbose = new("--verbose", "-v") { Description = "Print each script line to stderr as it runs" };
        var append = new AppendOptionSet();

        var command = new Command("expect", "Run a script (connect, send, expect text/regex/hex/bytes within a timeout, sleep, close): exit 0 when every expectation holds, 13 at the first miss")
        {
            script, vars, verbose,
        };
        append.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            string path = r.GetValue(script)!;
            string text;
            try
            {
                text = path == "-" ? await Console.In.ReadToEndAsync().ConfigureAwait(false) : await File.ReadAllTextAsync(path).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"socketlab expect: cannot read '{path}': {ex.Message}");
                return ExitCodes.FileError;
            }

            IReadOnlyList<ScriptStep> steps;
            try
            {
                steps = ScriptParser.Parse(text);
            }
            catch (ScriptSyntaxException ex)
            {
                Console.Error.WriteLine($"socketlab expect: {path}:{ex.Line}: {ex.Reason}");
                return ExitCodes.Usage;
            }

            var variables = new ScriptVariables();
            var fixedNames = new HashSet<string>();
            foreach (string v in r.GetValue(vars) ?? [])
            {
                int eq = v.IndexOf('=');
                variables.Set(v[..eq], v[(eq + 1)..]);
                fixedNames.Add(v[..eq]);
            }
            // A --var beats the script's own 'set' of the same name, so scripts can carry defaults.
            steps = steps.Where(s => s is not SetStep set || !fixedNames.Contains(set.Name)).ToList();

            using var termination = new Termination();
            var runner = new ScriptRunner(steps, variables, Console.Out.WriteLine, r.GetValue(verbose) ? line => Console.Error.WriteLine($"socketlab expect: {line}") : null)
            {
                Append = append.Resolve(r),
            };
            ScriptOutcome outcome;
            try
            {
                outcome = await runner.RunAsync(termination.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("socketlab expect: interrupted");
                return ExitCodes.Interrupted;
            }
            await Console.Out.FlushAsync().ConfigureAwait(false);
            if (outcome.Failure is not { } f)
            {
                Console.Error.WriteLine($"socketlab expect: {path}: passed ({outcome.StepsRun} steps, {outcome.Elapsed.TotalSeconds:0.00} s)");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"socketlab expect: {path}:{f.Step.Line}: {f.Step.Source}");
            string why = f.Cause switch
            {
                NetworkException n => NetworkErrorText.Of(n),
                UnknownVariableException u => $"unknown variable {{{{{u.Name}}}}} (set it with 'set', --var, or a regex capture first)",
                _ => f.Message,
            };
            Console.Error.WriteLine($"socketlab expect: {why}");
            return f.Kind switch
            {
                FailureKind.Expectation => ExitCodes.ExpectationFailed,
                FailureKind.Script => ExitCodes.Usage,
                _ => ExitCodes.For(f.Network),
            };
        });
        return command;
    }
}
