using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Core.Presets;

/// <summary>
/// One saved command (NetAssist's 多条字符串, Packet Sender's saved packet): what to send — text or hex,
/// escapes, field macros, a checksum, a line ending — and, optionally, what the reply must contain
/// (text, or hex with <see cref="ExpectHex"/>) within <see cref="TimeoutMs"/>, then a pause before the next step.
/// </summary>
public sealed record CommandStep
{
    // 'set', not 'init', where there is a default: the generated JSON code assigns every init property, absent ones as null or 0.
    public string Name { get; set; } = "";
    public string Data { get; set; } = "";
    public bool Hex { get; init; }
    public bool Escapes { get; init; }
    public bool Macros { get; init; }
    public string Eol { get; set; } = "none";
    public string? Checksum { get; init; }
    public string? ChecksumOrder { get; init; }
    public string? Expect { get; init; }
    public bool ExpectHex { get; init; }
    public int TimeoutMs { get; set; } = 1000;
    public int DelayMs { get; init; }
}

/// <summary>A named list of commands; run as a sequence <see cref="Repeat"/> times, stopping at the first failure.</summary>
public sealed record CommandList
{
    public string Name { get; set; } = "";
    public IReadOnlyList<CommandStep> Commands { get; set; } = [];
    public int Repeat { get; set; } = 1;

    public string ToJson() => JsonSerializer.Serialize(this, CommandListJson.Default.CommandList);

    /// <summary>Reads and checks a list (every step must build); an error names where: <c>commands[2].checksum: unknown checksum 'crc9'</c>.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out CommandList? list, [NotNullWhen(false)] out string? error)
    {
        list = null;
        try
        {
            list = JsonSerializer.Deserialize(json, CommandListJson.Default.CommandList);
        }
        catch (JsonException ex)
        {
            error = $"not a command list: {ex.Message.Split(". Path:")[0].TrimEnd('.')}{(ex.Path is { } p ? $" (at {p})" : "")}";
            return false;
        }
        if (list is null)
        {
            error = "not a command list: empty";
            return false;
        }
        return list.Validate(out error);
    }

    public bool Validate([NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 60)
            return Fail("name: give the list a name of 1 to 60 characters", out error);
        if (Commands.Count is 0 or > 200)
            return Fail("commands: a list has 1 to 200 commands", out error);
        if (Repeat is < 1 or > 100_000)
            return Fail("repeat: 1 to 100000", out error);
        for (int i = 0; i < Commands.Count; i++)
        {
            CommandStep c = Commands[i];
            string at = $"commands[{i}]";
            if (!c.TryPayload(Encoding.UTF8, new MacroContext(), out _, out string? why))
                return Fail($"{at}: {why}", out error);
            if (c.Expect is { Length: > 0 } e && c.ExpectHex && !HexParser.TryParse(e, out _, out string? hexError))
                return Fail($"{at}.expect: bad hex: {hexError}", out error);
            if (c.TimeoutMs is < 1 or > 600_000)
                return Fail($"{at}.timeoutMs: 1 to 600000", out error);
            if (c.DelayMs is < 0 or > 600_000)
                return Fail($"{at}.delayMs: 0 to 600000", out error);
        }
        error = null;
        return true;
    }

    private static bool Fail(string why, out string error)
    {
        error = why;
        return false;
    }
}

public static class CommandSteps
{
    /// <summary>The bytes a step sends (built anew each time: fields change), as the send box and the CLI build them.</summary>
    public static bool TryPayload(this CommandStep c, Encoding encoding, MacroContext macros, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        if (!LineEndings.TryParse(c.Eol, out LineEnding eol))
        {
            error = $"eol: '{c.Eol}' is not none, cr, lf or crlf";
            return false;
        }
        if (!Checksums.Checksum.TryParse(c.Checksum, c.ChecksumOrder, out Checksum? sum, out ByteOrder? order, out bool badOrder, out string? wrong))
        {
            error = (badOrder ? "checksumOrder: " : "checksum: ") + wrong;
            return false;
        }
        var payload = new Payload(encoding, c.Hex, c.Escapes && !c.Hex, eol, sum, order, c.Macros ? macros : null);
        if (payload.TryBuild(c.Data, out bytes, out _, out string? why))
        {
            error = null;
            return true;
        }
        error = $"data: {why}";
        return false;
    }

    /// <summary>The bytes a reply must contain, or null when the step expects nothing.</summary>
    public static byte[]? ExpectedBytes(this CommandStep c, Encoding encoding) =>
        c.Expect is not { Length: > 0 } e ? null
        : c.ExpectHex ? (HexParser.TryParse(e, out byte[]? b, out _) ? b : null)
        : encoding.GetBytes(e);
}

/// <summary>A list's JSON, written and read by generated code (no reflection, so it works in the NativeAOT build).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CommandList))]
internal sealed partial class CommandListJson : JsonSerializerContext;
