using System.Text;
using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;

namespace SocketLab.Cli.Output;

/// <summary>
/// How the OLED panel reaches the terminal, as plain text for the console sink. <see cref="Fixed"/>
/// keeps the panel at the top of a terminal and lets the log scroll below it (a scroll region:
/// plain ANSI, fine in tmux and over SSH); <see cref="Inline"/> prints the panel as lines each
/// time the screen changes (for pipes, files and small terminals).
/// </summary>
public abstract class OledPanelView
{
    public const string Title = "mPython OLED 128x64";

    /// <summary>Rows the boxed panel takes: the 32 rows of half blocks and the box.</summary>
    public const int PanelRows = HalfBlockRenderer.Rows + 2;

    /// <summary>Columns the boxed panel takes.</summary>
    public const int PanelColumns = HalfBlockRenderer.Columns + 2;

    /// <summary>Log lines that must fit below a fixed panel.</summary>
    public const int MinLogRows = 6;

    public virtual string? Begin() => null;

    public abstract string Frame(OledFrame frame);

    public virtual string? End() => null;

    /// <summary>Fixed when stdout is a terminal big enough to keep the panel and a few log lines; inline otherwise.</summary>
    public static OledPanelView Choose()
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
            return new Inline();
        try
        {
            if (Console.WindowWidth >= PanelColumns && Console.WindowHeight >= PanelRows + MinLogRows)
                return new Fixed(Console.WindowHeight);
        }
        catch (IOException) { }
        return new Inline();
    }

    public sealed class Inline : OledPanelView
    {
        public override string Frame(OledFrame frame) =>
            string.Join('\n', HalfBlockRenderer.RenderFramed(frame, Title)) + "\n";
    }

    public sealed class Fixed(int terminalRows) : OledPanelView
    {
        private const string Esc = "\u001b";

        /// <summary>Clears the screen and keeps rows below the panel for the log (setting the region homes the cursor).</summary>
        public override string Begin() =>
            $"{Esc}[2J{Esc}[{PanelRows + 1};{terminalRows}r{Esc}[{PanelRows + 1};1H";

        /// <summary>Draws the panel at the top and puts the cursor back where the log was.</summary>
        public override string Frame(OledFrame frame)
        {
            string[] lines = HalfBlockRenderer.RenderFramed(frame, Title);
            var sb = new StringBuilder(lines.Length * (PanelColumns * 3 + 10) + 8);
            sb.Append(Esc).Append('7');
            for (int i = 0; i < lines.Length; i++)
                sb.Append(Esc).Append('[').Append(i + 1).Append(";1H").Append(lines[i]);
            sb.Append(Esc).Append('8');
            return sb.ToString();
        }

        /// <summary>Gives the whole screen back to scrolling text; the cursor stays where the log ended.</summary>
        public override string End() => $"{Esc}7{Esc}[r{Esc}8";
    }
}
