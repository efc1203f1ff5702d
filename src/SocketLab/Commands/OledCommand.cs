using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab oled TEXT</c>: draw a string as the board's <c>oled.DispChar</c> would, as a PNG or on the terminal.</summary>
public static class OledCommand
{
    private const int CoordinateLimit = 10_000;
    private const int DefaultScale = 4;

    public static Command Create()
    {
        Argument<string> text = new("text") { Description = "The text to draw (use $'a\\nb' in bash for control characters)" };
        Option<int> x = Coordinate("--x", "Column of the first character");
        Option<int> y = Coordinate("--y", "Row of the top of the first character");
        Option<TextMode> mode = CommonOptions.Choice("--mode", "Drawing mode", TextMode.Normal);
        Option<bool> autoReturn = new("--auto-return") { Description = "Wrap to the next 16-px line at the right edge, as DispChar(auto_return=True)" };
        Option<string> output = new("--output", "-o") { Description = "Write a PNG to this file ('-' for stdout) instead of drawing on the terminal" };
        Option<int> scale = new("--scale")
        {
            Description = $"PNG pixels per OLED pixel, 1-{PngEncoder.MaxScale} [default: {DefaultScale}]",
            DefaultValueFactory = _ => DefaultScale,
            CustomParser = r => CommonOptions.ParseInt(r, "--scale", 1, PngEncoder.MaxScale),
        };
        Option<bool> json = new("--json") { Description = "Print the measurements as one JSON object (no terminal drawing)" };

        var board = new BoardOptionSet();
        var command = new Command("oled", "Draw text as the board's OLED would show it: prints its width and what did not fit, and draws the screen")
        {
            text, x, y, mode, autoReturn, output, scale, json,
        };
        board.AddTo(command);
        command.SetAction(r => board.CreateDisplay(r, "socketlab oled") is { } oled
            ? Run(oled, r.GetValue(text)!, r.GetValue(x), r.GetValue(y), r.GetValue(mode), r.GetValue(autoReturn),
                r.GetValue(output), r.GetValue(scale), r.GetValue(json))
            : ExitCodes.Usage);
        return command;
    }

    private static int Run(OledDisplay oled, string text, int x, int y, TextMode mode, bool autoReturn, string? output, int scale, bool json)
    {
        oled.DispChar(text, x, y, mode, autoReturn);
        OledFrame frame = oled.Show();
        TextLayout layout = oled.Layout(text, x, y, autoReturn);

        bool pngToStdout = output == "-";
        TextWriter report = pngToStdout ? Console.Error : Console.Out;
        report.Write(json ? Json(layout) : Report(layout));

        if (output is null)
        {
            if (!json)
                Console.Out.Write(string.Join('\n', HalfBlockRenderer.RenderFramed(frame, Output.OledPanelView.Title)) + "\n");
            return ExitCodes.Ok;
        }

        byte[] png = PngEncoder.Encode(frame, scale);
        try
        {
            if (pngToStdout)
            {
                using Stream stdout = Console.OpenStandardOutput();
                stdout.Write(png);
            }
            else
            {
                File.WriteAllBytes(output, png);
                Console.Error.WriteLine($"socketlab oled: wrote {output} ({OledFrame.Width * scale}x{OledFrame.Height * scale})");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"socketlab oled: cannot write {output}: {ex.Message}");
            return ExitCodes.Failure;
        }
        return ExitCodes.Ok;
    }

    /// <summary>Width, return value, and which characters the glass would not show whole.</summary>
    private static string Report(TextLayout layout)
    {
        int total = layout.Placements.Count;
        int shown = layout.Placements.Count(p => p.FullyVisible);
        var sb = new StringBuilder();
        sb.Append("width: ").Append(layout.Width).Append('\n');
        sb.Append("returns: (").Append(layout.Width).Append(", (").Append(layout.NextX).Append(", ").Append(layout.NextY).Append("))\n");
        sb.Append("shown: ").Append(shown).Append(" of ").Append(total).Append(" characters\n");
        if (shown < total)
            sb.Append("not shown: \"").Append(Visible(layout.Hidden)).Append("\"\n");
        string missing = Visible(layout.Placements.Where(p => p.Glyph is null));
        if (missing.Length > 0)
            sb.Append("no glyph: \"").Append(missing).Append("\"\n");
        return sb.ToString();
    }

    private static string Json(TextLayout layout)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("width", layout.Width);
            w.WriteNumber("next_x", layout.NextX);
            w.WriteNumber("y", layout.NextY);
            w.WriteNumber("characters", layout.Placements.Count);
            w.WriteNumber("shown", layout.Placements.Count(p => p.FullyVisible));
            w.WriteString("not_shown", string.Concat(layout.Hidden.Select(p => p.Rune.ToString())));
            w.WriteString("no_glyph", string.Concat(layout.Placements.Where(p => p.Glyph is null).Select(p => p.Rune.ToString())));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Visible(IEnumerable<GlyphPlacement> placements) =>
        VisibleText.Render(string.Concat(placements.Select(p => p.Rune.ToString())), showEol: true).Replace("\n", "", StringComparison.Ordinal);

    private static Option<int> Coordinate(string name, string description) => new(name)
    {
        Description = $"{description} (may be negative or off the screen) [default: 0]",
        DefaultValueFactory = _ => 0,
        CustomParser = r => CommonOptions.ParseInt(r, name, -CoordinateLimit, CoordinateLimit),
    };
}
