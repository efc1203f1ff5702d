using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using SocketLab.Core.Text;

namespace SocketLab.Cli;

/// <summary>Options that several commands share, each with the one-line error a user sees for a bad value.</summary>
public static class CommonOptions
{
    /// <summary>
    /// The one way an option or argument reads its token: <paramref name="parse"/> it, or add the one-line
    /// <paramref name="complaint"/> about the text and give <paramref name="fallback"/>.
    /// </summary>
    public static T Parse<T>(ArgumentResult result, Func<string, (bool Ok, T Value)> parse, Func<string, string> complaint, T fallback)
    {
        string text = TokenText(result);
        (bool ok, T value) = parse(text);
        if (ok)
            return value;
        result.AddError(complaint(text));
        return fallback;
    }

    /// <summary>
    /// Adds a check across a command's options. An option whose own value is bad throws when read; the check
    /// then stops there, as that option already reported its one line (reading it must not end in a stack trace).
    /// </summary>
    public static void Validate(Command command, Action<CommandResult> check) =>
        command.Validators.Add(r =>
        {
            try { check(r); }
            catch (InvalidOperationException) when (r.Children.Any(c => c.Errors.Any())) { }
        });

    /// <summary>What the user typed for an option or argument ("" when nothing).</summary>
    public static string TokenText(SymbolResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    public static int ParsePort(ArgumentResult result, string what) =>
        Parse(result, text => (int.TryParse(text, out int port) && port is >= 0 and <= 65535, port),
            text => $"{what} must be a number from 0 to 65535, got '{text}'", 0);

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static int ParseInt(ArgumentResult result, string what, int min, int max) =>
        Parse(result, text => (int.TryParse(text, out int n) && n >= min && n <= max, n),
            text => $"{what} must be a whole number from {min} to {max}, got '{text}'", 0);

    /// <summary>
    /// <c>--no-loop-guard</c>: keep echoing to a <paramref name="peer"/> that echoes too. By default the same short
    /// message coming back 20 times in a row, each within 200 ms, with the peer quiet when one echo is held back,
    /// turns echo off for that peer only.
    /// </summary>
    public static Option<bool> NoLoopGuard(string peer) => new("--no-loop-guard")
    {
        Description = $"Keep echoing to a {peer} that echoes too [default: the same message bouncing back 20 times in a row turns echo off for that {peer}, with a notice]",
    };

    public static Option<int> Port(int defaultPort, string protocol = "TCP") => new("--port", "-p")
    {
        Description = $"{protocol} port, 0-65535 (0 = any free port) [default: {defaultPort}]",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = r => ParsePort(r, "--port"),
    };

    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, text => (Durations.TryParse(text, out TimeSpan value), value),
            text => $"{name} takes a time such as 500ms, 5s or 2m, got '{text}'", default(TimeSpan)),
    };

    public static Option<int> Count(string name, string description, int defaultValue, int min = 0) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, text => (int.TryParse(text, out int n) && n >= min, n),
            text => $"{name} must be a whole number of at least {min}, got '{text}'", defaultValue),
    };

    /// <summary>A count that may be left out (null), else a whole number of at least 0.</summary>
    public static Option<int?> OptionalCount(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r => Parse<int?>(r, text => (int.TryParse(text, out int n) && n >= 0, n),
            text => $"{name} must be a whole number of at least 0, got '{text}'", null),
    };

    public static Option<int> Bytes(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, text => (ByteSizes.TryParse(text, out long n) && n >= min && n <= max, (int)n),
            text => $"{name} takes a size from {min} to {max} bytes such as 32, 512 or 64k, got '{text}'", defaultValue),
    };

    public static Option<IPAddress> Address(string name, string description, IPAddress defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, text => text is "*" or "all" ? (true, IPAddress.IPv6Any) : (IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? a), a!),
            text => $"{name} takes an IP address such as 127.0.0.1, 0.0.0.0 or ::, got '{text}'", defaultValue),
    };

    /// <summary>A size such as 500k, 10M or 1G (powers of 1024); a bare number is bytes.</summary>
    public static Option<long> Size(string name, string description, long defaultValue) =>
        Parsed(new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
            text => (ByteSizes.TryParse(text, out long v), v), "a size such as 500k, 10M or 1G");

    /// <summary>An optional time above zero ("2s", "500ms"); null when the option is absent.</summary>
    public static Option<TimeSpan?> PositiveDuration(string name, string description, params string[] aliases) =>
        Parsed(new Option<TimeSpan?>(name, aliases) { Description = description },
            text => Durations.TryParse(text, out TimeSpan v) && v > TimeSpan.Zero ? (true, v) : (false, null), "a time above zero such as 500ms, 2s or 1m");

    /// <summary>Gives <paramref name="option"/> a parser; a value it refuses is the one-line "NAME takes WHAT, got 'TEXT'".</summary>
    public static Option<T> Parsed<T>(Option<T> option, Func<string, (bool Ok, T Value)> parse, string what)
    {
        option.CustomParser = r => Parse(r, parse, text => $"{option.Name} takes {what}, got '{text}'", default(T)!);
        return option;
    }

    /// <summary>A required <c>HOST:PORT</c> target such as <c>--to 192.168.0.2:5001</c> (an IPv6 address in [brackets]).</summary>
    public static Option<SocketLab.Core.Net.HostPort?> Target(string name, string description, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        Required = true,
        CustomParser = r => Parse(r, text => (SocketLab.Core.Net.HostPort.TryParse(text, out SocketLab.Core.Net.HostPort? target, out _), target),
            text => { SocketLab.Core.Net.HostPort.TryParse(text, out _, out string? error); return $"{name}: {error}"; }, null),
    };

    /// <summary>Where to listen: <c>PORT</c> (every interface, IPv4 and IPv6) or <c>ADDR:PORT</c> such as <c>127.0.0.1:5001</c> or <c>[::1]:5001</c>.</summary>
    public static Option<System.Net.IPEndPoint> Listen(string description) => new("--listen", "-l")
    {
        Description = description,
        CustomParser = r => Parse<System.Net.IPEndPoint>(r, text => (SocketLab.Core.Bridge.BridgeEndpoint.TryParseListen(text, out System.Net.IPEndPoint? endPoint), endPoint!),
            text => $"--listen takes PORT or ADDR:PORT such as 5001 or 127.0.0.1:5001, got '{text}'", null!),
    };

    public static Option<string> Encoding() => new("--encoding", "-e")
    {
        Description = $"Text encoding for display and typed input: {string.Join(", ", TextEncodings.Names)} [default: utf-8]",
        DefaultValueFactory = _ => "utf-8",
        CustomParser = r => Parse(r, text => (TextEncodings.TryGet(text, out _), text),
            text => $"unknown encoding '{text}' (use one of: {string.Join(", ", TextEncodings.Names)})", "utf-8"),
    };

    /// <summary>An option's value when given on the command line and valid; null otherwise (a bad value reports its own error).</summary>
    public static T? Given<T>(System.CommandLine.Parsing.CommandResult r, Option<T> option) where T : struct
    {
        if (r.GetResult(option) is not { } given)
            return null;
        try { return given.GetValueOrDefault<T>(); }
        catch (InvalidOperationException) { return null; }
    }

    public static Option<T> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum => new(name)
    {
        Description = $"{description}: {string.Join("|", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))} [default: {defaultValue.ToString().ToLowerInvariant()}]",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => Parse(r, text => (Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value) && !int.TryParse(text, out _), value),
            text => $"{name} takes one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'", defaultValue),
    };
}
