using System.Globalization;
using System.Text;
using SocketLab.Core.Framing;
using SocketLab.Core.Text;

namespace SocketLab.Core.Scripting;

/// <summary>A script line that cannot be understood; the message starts with the line number.</summary>
public sealed class ScriptSyntaxException(int line, string reason) : Exception($"line {line}: {reason}")
{
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>Reads the expect script format (docs/expect.md): one command per line, '#' starts a comment line.</summary>
public static class ScriptParser
{
    public static IReadOnlyList<ScriptStep> Parse(string text)
    {
        var steps = new List<ScriptStep>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string source = lines[i].Trim();
            if (source.Length == 0 || source.StartsWith('#'))
                continue;
            steps.Add(ParseLine(i + 1, source));
        }
        return steps;
    }

    private static ScriptStep ParseLine(int line, string source)
    {
        List<ScriptText> tokens = Tokenize(line, source);
        string command = tokens[0].Raw.ToLowerInvariant();
        var args = tokens.Skip(1).ToList();
        switch (command)
        {
            case "connect":
                (args, TimeSpan? connectWithin) = TakeWithin(line, args);
                Count(line, command, args, 1, "connect HOST:PORT [within 5s]");
                return new ConnectStep(line, source, args[0], connectWithin);
            case "send":
                if (args.Count == 2 && args[0].Raw.Equals("hex", StringComparison.OrdinalIgnoreCase) && !args[0].Quoted)
                    return new SendStep(line, source, args[1], Hex: true);
                if (args.Count == 2 && args[0].Raw.Equals("text", StringComparison.OrdinalIgnoreCase) && !args[0].Quoted)
                    return new SendStep(line, source, args[1], Hex: false);
                Count(line, command, args, 1, "send \"TEXT\" or send hex \"01 ae\"");
                return new SendStep(line, source, args[0], Hex: false);
            case "expect":
                return ParseExpect(line, source, args);
            case "sleep":
                Count(line, command, args, 1, "sleep 500ms");
                return new SleepStep(line, source, Duration(line, args[0].Raw));
            case "close":
                Count(line, command, args, 0, "close");
                return new CloseStep(line, source);
            case "timeout":
                Count(line, command, args, 1, "timeout 5s");
                return new TimeoutStep(line, source, Duration(line, args[0].Raw));
            case "frame":
                Count(line, command, args, 1, "frame line");
                if (!FrameSpec.TryParse(args[0].Raw, out FrameSpec? spec, out string? error))
                    throw new ScriptSyntaxException(line, error);
                return new FrameStep(line, source, spec);
            case "encoding":
                Count(line, command, args, 1, "encoding gbk");
                if (!TextEncodings.TryGet(args[0].Raw, out Encoding encoding))
                    throw new ScriptSyntaxException(line, $"unknown encoding '{args[0].Raw}' (use one of: {string.Join(", ", TextEncodings.Names)})");
                return new EncodingStep(line, source, encoding);
            case "set":
                Count(line, command, args, 2, "set NAME \"VALUE\"");
                if (!ScriptVariables.IsName(args[0].Raw))
                    throw new ScriptSyntaxException(line, $"'{args[0].Raw}' is not a variable name (letters, digits and _)");
                return new SetStep(line, source, args[0].Raw, args[1]);
            case "print":
                Count(line, command, args, 1, "print \"TEXT\"");
                return new PrintStep(line, source, args[0]);
            default:
                throw new ScriptSyntaxException(line, $"unknown command '{tokens[0].Raw}' (commands: connect, send, expect, sleep, close, timeout, frame, encoding, set, print)");
        }
    }

    private static ExpectStep ParseExpect(int line, string source, List<ScriptText> args)
    {
        (args, TimeSpan? within) = TakeWithin(line, args);
        const string usage = "expect [text|regex|hex] \"ARG\", expect bytes N or expect closed, each with an optional 'within 2s'";
        if (args.Count == 1 && args[0].Quoted)
            return new ExpectStep(line, source, ExpectKind.Text, args[0], within);
        if (args.Count == 0)
            throw new ScriptSyntaxException(line, $"expect needs something to wait for: {usage}");
        string kind = args[0].Quoted ? "" : args[0].Raw.ToLowerInvariant();
        switch (kind)
        {
            case "closed" when args.Count == 1:
                return new ExpectStep(line, source, ExpectKind.Closed, null, within);
            case "text" or "regex" or "hex" when args.Count == 2:
                ExpectKind k = kind switch { "text" => ExpectKind.Text, "regex" => ExpectKind.Regex, _ => ExpectKind.Hex };
                return new ExpectStep(line, source, k, args[1], within);
            case "bytes" when args.Count == 2:
                if (!int.TryParse(args[1].Raw, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                    throw new ScriptSyntaxException(line, $"expect bytes needs a count of at least 1, got '{args[1].Raw}'");
                return new ExpectStep(line, source, ExpectKind.Bytes, args[1], within);
            default:
                throw new ScriptSyntaxException(line, $"cannot read '{source}': {usage}");
        }
    }

    private static (List<ScriptText> Remaining, TimeSpan? Within) TakeWithin(int line, List<ScriptText> args)
    {
        if (args.Count >= 2 && !args[^2].Quoted && args[^2].Raw.Equals("within", StringComparison.OrdinalIgnoreCase))
            return (args[..^2], Duration(line, args[^1].Raw));
        return (args, null);
    }

    private static void Count(int line, string command, List<ScriptText> args, int expected, string usage)
    {
        if (args.Count != expected)
            throw new ScriptSyntaxException(line, $"{command} takes {expected} argument{(expected == 1 ? "" : "s")}, got {args.Count}: {usage}");
    }

    private static TimeSpan Duration(int line, string text)
    {
        if (Durations.TryParse(text, out TimeSpan value))
            return value;
        throw new ScriptSyntaxException(line, $"'{text}' is not a time such as 500ms, 2s or 1m");
    }

    /// <summary>Splits a line into words, "double-quoted" (escapes kept raw for later) and 'single-quoted' strings.</summary>
    private static List<ScriptText> Tokenize(int line, string source)
    {
        var tokens = new List<ScriptText>();
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                int j = i + 1;
                bool closed = false;
                for (; j < source.Length; j++)
                {
                    if (c == '"' && source[j] == '\\' && j + 1 < source.Length)
                    {
                        sb.Append(source, j, 2);
                        j++;
                        continue;
                    }
                    if (source[j] == c)
                    {
                        closed = true;
                        break;
                    }
                    sb.Append(source[j]);
                }
                if (!closed)
                    throw new ScriptSyntaxException(line, $"missing closing {c}");
                tokens.Add(new ScriptText(sb.ToString(), Escaped: c == '"', Quoted: true));
                i = j + 1;
                continue;
            }
            int start = i;
            while (i < source.Length && !char.IsWhiteSpace(source[i]))
                i++;
            tokens.Add(new ScriptText(source[start..i], Escaped: false));
        }
        return tokens;
    }
}
