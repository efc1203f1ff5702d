using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using SocketLab.Core.Text;

namespace SocketLab.Cli;

/// <summary>Options that several commands share, each with the one-line error a user sees for a bad value.</summary>
public static class CommonOptions
{
    public static int ParsePort(ArgumentResult result, string what)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, out int port) && port is >= 0 and <= 65535)
            return port;
        result.AddError($"{what} must be a number from 0 to 65535, got '{text}'");
        return 0;
    }

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
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (Durations.TryParse(text, out TimeSpan value))
                return value;
            r.AddError($"{name} takes a time such as 500ms, 5s or 2m, got '{text}'");
            return default;
        },
    };

    public static Option<int> Count(string name, string description, int defaultValue, int min = 0) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (int.TryParse(text, out int n) && n >= min)
                return n;
            r.AddError($"{name} must be a whole number of at least {min}, got '{text}'");
            return defaultValue;
        },
    };

    public static Option<int> Bytes(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (ByteSizes.TryParse(text, out long n) && n >= min && n <= max)
                return (int)n;
            r.AddError($"{name} takes a size from {min} to {max} bytes such as 32, 512 or 64k, got '{text}'");
            return defaultValue;
        },
    };

    public static Option<IPAddress> Address(string name, string description, IPAddress defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (text is "*" or "all")
                return IPAddress.IPv6Any;
            if (IPAddress.TryParse(text.Trim('[', ']'), out IPAddress? a))
                return a;
            r.AddError($"{name} takes an IP address such as 127.0.0.1, 0.0.0.0 or ::, got '{text}'");
            return defaultValue;
        },
    };

    /// <summary>A size such as 500k, 10M or 1G (powers of 1024); a bare number is bytes.</summary>
    public static Option<long> Size(string name, string description, long defaultValue) =>
        Parsed(new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
            text => (Sizes.TryParse(text, out long v), v), "a size such as 500k, 10M or 1G");

    /// <summary>An optional time above zero ("2s", "500ms"); null when the option is absent.</summary>
    public static Option<TimeSpan?> PositiveDuration(string name, string description, params string[] aliases) =>
        Parsed(new Option<TimeSpan?>(name, aliases) { Description = description },
            text => Durations.TryParse(text, out TimeSpan v) && v > TimeSpan.Zero ? (true, v) : (false, null), "a time above zero such as 500ms, 2s or 1m");

    /// <summary>Gives <paramref name="option"/> a parser; a value it refuses is the one-line "NAME takes WHAT, got 'TEXT'".</summary>
    public static Option<T> Parsed<T>(Option<T> option, Func<string, (bool Ok, T Value)> parse, string what)
    {
        option.CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            (bool ok, T value) = parse(text);
            if (!ok)
                r.AddError($"{option.Name} takes {what}, got '{text}'");
            return value;
        };
        return option;
    }

    public static Option<string> Encoding() => new("--encoding", "-e")
    {
        Description = $"Text encoding for display and typed input: {string.Join(", ", TextEncodings.Names)} [default: utf-8]",
        DefaultValueFactory = _ => "utf-8",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (TextEncodings.TryGet(text, out _))
                return text;
            r.AddError($"unknown encoding '{text}' (use one of: {string.Join(", ", TextEncodings.Names)})");
            return "utf-8";
        },
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
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value) && !int.TryParse(text, out _))
                return value;
            r.AddError($"{name} takes one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");
            return defaultValue;
        },
    };
}
