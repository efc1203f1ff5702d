using System.Text;
using SocketLab.Board.Oled;
using SocketLab.Board.Rendering;

namespace SocketLab.Cli.Output;

/// <summary>
/// How the OLED panel reaches the terminal, as plain text for the console sink. <see cref="Fixed"/>
/// keeps the panel at the top of a terminal and lets the log scroll below it (a scroll region:
/// plain ANSI, fine in tmux and over SSH); <see cref="Inline"/> prints the panel as lines each
/// time the screen changes (for pipes, files and terminals too short for a fixed panel). The panel
/// is drawn as large as the terminal allows: 1×1 half blocks (130 columns), 2×2 quadrants (66 columns,
/// 34 rows) or 2×4 Braille dots (66 columns, 18 rows: an 80×24 terminal).
/// </summary>
public abstract class OledPanelView(CellSize size)
{
    public const string Title = "mPython OLED 128x64";

    /// <summary>Log lines that must fit below a fixed panel.</summary>
    public const int MinLogRows = 6;

    /// <summary>Columns the narrowest boxed panel takes.</summary>
    public static int NarrowestColumns => CellRenderer.Columns(CellSize.Braille) + 2;

    public CellSize Size { get; } = size;

    /// <summary>Rows the boxed panel takes.</summary>
    public int PanelRows => PanelRowsOf(Size);

    /// <summary>One line for stderr when the panel is not shown as it would be on a large terminal.</summary>
    public virtual string? Note => null;

    public virtual string? Begin() => null;

    public abstract string Frame(OledFrame frame);

    public virtual string? End() => null;

    private static int PanelRowsOf(CellSize size) => CellRenderer.Rows(size) + 2;

    private static int PanelColumnsOf(CellSize size) => CellRenderer.Columns(size) + 2;

    /// <summary>
    /// Fixed at the largest cell size whose panel and a few log lines fit the terminal; inline at full size when
    /// stdout is not a terminal; inline smaller when the terminal is too short; none (with a note) when too narrow.
    /// </summary>
    public static OledPanelView Choose()
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("TERM") is null or "dumb")
            return new Inline(CellSize.HalfBlock);
        int width, height;
        try
        {
            (width, height) = (Console.WindowWidth, Console.WindowHeight);
        }
        catch (IOException)
        {
            return new Inline(CellSize.HalfBlock);
        }
        CellSize[] sizes = [CellSize.HalfBlock, CellSize.Quadrant, CellSize.Braille];
        foreach (CellSize size in sizes)
            if (width >= PanelColumnsOf(size) && height >= PanelRowsOf(size) + MinLogRows)
                return new Fixed(height, size);
        foreach (CellSize size in sizes)
            if (width >= PanelColumnsOf(size))
                return new Inline(size);
        return new Hidden(width);
    }

    public sealed class Inline(CellSize size = CellSize.HalfBlock) : OledPanelView(size)
    {
        public override string Frame(OledFrame frame) =>
            string.Join('\n', CellRenderer.RenderFramed(frame, Size, Title)) + "\n";
    }

    public sealed class Fixed(int terminalRows, CellSize size = CellSize.HalfBlock) : OledPanelView(size)
    {
        private const string Esc = "\u001b";

        /// <summary>Clears the screen and keeps rows below the panel for the log (setting the region homes the cursor).</summary>
        public override string Begin() =>
            $"{Esc}[2J{Esc}[{PanelRows + 1};{terminalRows}r{Esc}[{PanelRows + 1};1H";

        /// <summary>Draws the panel at the top and puts the cursor back where the log was.</summary>
        public override string Frame(OledFrame frame)
        {
            string[] lines = CellRenderer.RenderFramed(frame, Size, Title);
            var sb = new StringBuilder(lines.Length * (lines[0].Length * 3 + 10) + 8);
            sb.Append(Esc).Append('7');
            for (int i = 0; i < lines.Length; i++)
                sb.Append(Esc).Append('[').Append(i + 1).Append(";1H").Append(lines[i]);
            sb.Append(Esc).Append('8');
            return sb.ToString();
        }

        /// <summary>Gives the whole screen back to scrolling text; the cursor stays where the log ended.</summary>
        public override string End() => $"{Esc}7{Esc}[r{Esc}8";
    }

    /// <summary>A terminal narrower than the smallest panel: nothing drawn (lines would wrap into garbage), one note.</summary>
    public sealed class Hidden(int width) : OledPanelView(CellSize.Braille)
    {
        public override string Note =>
            $"--oled: the panel needs {NarrowestColumns} terminal columns (this one has {width}); not drawn";

        public override string Frame(OledFrame frame) => "";
    }
}
