using SocketLab.Board.Oled;

namespace SocketLab.Board.Rendering;

/// <summary>
/// Draws a frame as text: each character cell holds two pixel rows with the Unicode half blocks
/// ▀ ▄ █ and space, so the 128×64 screen takes 128×32 cells and works in any UTF-8 terminal
/// (<see cref="CellRenderer"/> draws it smaller for narrow terminals).
/// </summary>
public static class HalfBlockRenderer
{
    public const int Columns = OledFrame.Width;
    public const int Rows = OledFrame.Height / 2;

    /// <summary>The 32 lines of 128 characters, top first, without line breaks.</summary>
    public static string[] RenderLines(OledFrame frame) => CellRenderer.RenderLines(frame, CellSize.HalfBlock);

    /// <summary>The lines inside a box of ┌─┐│└┘, so the screen's edges are visible on a dark terminal.</summary>
    public static string[] RenderFramed(OledFrame frame, string? title = null) => CellRenderer.RenderFramed(frame, CellSize.HalfBlock, title);
}
