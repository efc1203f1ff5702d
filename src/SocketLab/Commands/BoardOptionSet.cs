using System.CommandLine;
using SocketLab.Board.Fonts;
using SocketLab.Board.Oled;

namespace SocketLab.Cli.Commands;

/// <summary>How the virtual board draws its OLED (font, firmware), shared by every command that shows one.</summary>
public sealed class BoardOptionSet
{
    public Option<string> Font { get; } = new("--font")
    {
        Description = $"The OLED's font: a file in the board's GUIX format, e.g. Noto_Sans_CJK_SC_Light16.bin from its firmware (plain or gzip) [default: ${OledFontSetting.EnvironmentVariable}, else built-in Noto Sans CJK SC Light]",
    };

    public Option<BoardFirmware> Firmware { get; } = new("--firmware")
    {
        Description = $"Whose DispChar to draw with: {string.Join("|", BoardFirmware.Names)} (2.1: always wraps, as in the tutorial's era) [default: latest]",
        DefaultValueFactory = _ => BoardFirmware.Latest,
        CustomParser = r => CommonOptions.Parse(r, text => (BoardFirmware.TryParse(text, out BoardFirmware? firmware), firmware!),
            text => $"--firmware takes one of {string.Join(", ", BoardFirmware.Names)}, got '{text}'", BoardFirmware.Latest),
    };

    /// <summary>Adds the options; with <paramref name="needs"/> (e.g. --oled) they are refused unless that option is on.</summary>
    public void AddTo(Command command, Option<bool>? needs = null)
    {
        command.Options.Add(Font);
        command.Options.Add(Firmware);
        if (needs is null)
            return;
        CommonOptions.Validate(command, r =>
        {
            if (r.GetValue(needs))
                return;
            if (r.GetResult(Font) is not null)
                r.AddError($"--font sets the OLED's font and needs {needs.Name}");
            else if (r.GetResult(Firmware) is not null)
                r.AddError($"--firmware sets how the OLED draws and needs {needs.Name}");
        });
    }

    /// <summary>The font, or null after printing "<paramref name="command"/>: --font FILE: reason" (exit code 2).</summary>
    public GuixFont? ResolveFont(ParseResult r, string command)
    {
        if (OledFontSetting.TryResolve(r.GetValue(Font), out GuixFont font, out string? error))
            return font;
        Console.Error.WriteLine($"{command}: {error}");
        return null;
    }

    /// <summary>A display for the chosen font and firmware, or null after printing why the font cannot be used.</summary>
    public OledDisplay? CreateDisplay(ParseResult r, string command) =>
        ResolveFont(r, command) is { } font ? new OledDisplay(font, r.GetValue(Firmware)) : null;
}
