using System.CommandLine;
using SocketLab.Board.Fonts;

namespace SocketLab.Cli.Commands;

/// <summary>How the virtual board draws its OLED, shared by every command that shows one.</summary>
public sealed class BoardOptionSet
{
    public Option<string> Font { get; } = new("--font")
    {
        Description = $"The OLED's font: a file in the board's GUIX format, e.g. Noto_Sans_CJK_SC_Light16.bin from its firmware (plain or gzip) [default: ${OledFontSetting.EnvironmentVariable}, else built-in Noto Sans CJK SC Light]",
    };

    /// <summary>Adds the options; with <paramref name="needs"/> (e.g. --oled) they are refused unless that option is on.</summary>
    public void AddTo(Command command, Option<bool>? needs = null)
    {
        command.Options.Add(Font);
        if (needs is null)
            return;
        command.Validators.Add(r =>
        {
            if (r.GetResult(Font) is not null && !r.GetValue(needs))
                r.AddError($"--font sets the OLED's font and needs {needs.Name}");
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
}
