namespace SocketLab.Board.Oled;

/// <summary>
/// The board firmware's behaviours that a learner can see (labplus-cn/mpython, port/boards/mpython/modules/mpython.py):
/// <list type="bullet">
/// <item>2.1 — v2.0.0 to v2.1.0 (2019-12 … 2020-07, the tutorial's era): DispChar always wraps, and a
/// missing glyph moves the cursor by the font's width (16 px). (v2.1.1 already has <c>auto_return</c>: it is 2.2.)</item>
/// <item>2.2 — from v2.1.1 (2020-10): wraps only with <c>auto_return=True</c>; a missing glyph moves 128 px (16 with auto_return).</item>
/// <item>2.3 — from v2.3.0 (2021-07): as 2.2, and <c>from mpython import *</c> replaces <c>print</c>, which puts
/// a space before a line whose first character is a CJK ideograph (U+4E00–9FFF).</item>
/// </list>
/// "latest" is 2.3: nothing a learner sees has changed since.
/// </summary>
public sealed class BoardFirmware
{
    private BoardFirmware(string name, bool alwaysWraps, bool spaceBeforeCjkLines)
    {
        Name = name;
        AlwaysWraps = alwaysWraps;
        SpaceBeforeCjkLines = spaceBeforeCjkLines;
    }

    public static BoardFirmware V2_1 { get; } = new("2.1", alwaysWraps: true, spaceBeforeCjkLines: false);
    public static BoardFirmware V2_2 { get; } = new("2.2", alwaysWraps: false, spaceBeforeCjkLines: false);
    public static BoardFirmware V2_3 { get; } = new("2.3", alwaysWraps: false, spaceBeforeCjkLines: true);
    public static BoardFirmware Latest { get; } = new("latest", alwaysWraps: false, spaceBeforeCjkLines: true);

    /// <summary>The names <see cref="TryParse"/> takes, oldest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["2.1", "2.2", "2.3", "latest"];

    public string Name { get; }

    /// <summary>DispChar wraps at the right edge whatever <c>auto_return</c> says (v2.0.0–v2.1.0).</summary>
    public bool AlwaysWraps { get; }

    /// <summary><c>print</c> puts a space before a line that starts with a CJK ideograph (v2.3.0 on).</summary>
    public bool SpaceBeforeCjkLines { get; }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BoardFirmware? firmware)
    {
        firmware = text?.Trim().ToLowerInvariant() switch
        {
            "2.1" or "2.0" => V2_1,
            "2.2" => V2_2,
            "2.3" => V2_3,
            "latest" => Latest,
            _ => null,
        };
        return firmware is not null;
    }

    /// <summary>What the board's console shows for <c>print(text)</c>.</summary>
    public string PrintedLine(string text) =>
        SpaceBeforeCjkLines && text.Length > 0 && text[0] is >= '\u4E00' and <= '\u9FFF' ? " " + text : text;

    public override string ToString() => Name;
}
