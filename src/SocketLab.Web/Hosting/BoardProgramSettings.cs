using SocketLab.Board.Oled;

namespace SocketLab.Web.Hosting;

/// <summary>How the page's 虚拟掌控板 sessions run board programs (see SocketLab.Board.Programs.BoardProgram).</summary>
public sealed record BoardProgramSettings
{
    /// <summary>The display a program draws on: the page's font, and its default firmware (a start request may name another).</summary>
    public Func<OledDisplay> Display { get; init; } = () => new OledDisplay();

    /// <summary>The Python 3 to run programs with; null looks for python3 on PATH at each start.</summary>
    public string? Python { get; init; }

    /// <summary>Largest program accepted, in characters.</summary>
    public int MaxProgramChars { get; init; } = 256 * 1024;
}
