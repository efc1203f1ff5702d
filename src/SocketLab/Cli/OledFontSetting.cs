using SocketLab.Board.Fonts;

namespace SocketLab.Cli;

/// <summary>
/// Which font every OLED draws with: <c>--font FILE</c>, else the <c>SOCKETLAB_OLED_FONT</c>
/// environment variable, else the built-in one. Either may name the board's own
/// <c>Noto_Sans_CJK_SC_Light16.bin</c> copied from its firmware.
/// </summary>
public static class OledFontSetting
{
    public const string EnvironmentVariable = "SOCKETLAB_OLED_FONT";

    /// <summary>The font file chosen by <c>--font</c> or the environment; null for the built-in font.</summary>
    public static string? ChosenFile(string? fontOption) =>
        fontOption ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null);

    /// <summary>The font to use, or false with a one-line reason naming where the path came from.</summary>
    public static bool TryResolve(string? fontOption, out GuixFont font, out string? error)
    {
        string? path = ChosenFile(fontOption);
        font = GuixFont.Default;
        error = null;
        if (path is null)
            return true;
        try
        {
            font = GuixFont.LoadFile(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            error = fontOption is not null ? $"--font {path}: {ex.Message}" : $"{EnvironmentVariable}={path}: {ex.Message}";
            return false;
        }
    }
}
