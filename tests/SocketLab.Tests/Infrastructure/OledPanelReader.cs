namespace SocketLab.Tests.Infrastructure;

/// <summary>Reads the OLED panels a CLI process prints when its stdout is a pipe: a framed block of 32 rows of 128 cells each time the screen changes.</summary>
public static class OledPanelReader
{
    public const string PanelTop = "┌─ mPython OLED";

    /// <summary>The panels printed so far: 32 rows of 128 cells each.</summary>
    public static List<string[]> Panels(CliProcess p)
    {
        IReadOnlyList<string> lines = p.StdoutLines;
        var panels = new List<string[]>();
        for (int i = 0; i + 33 < lines.Count; i++)
            if (lines[i].StartsWith(PanelTop, StringComparison.Ordinal) && lines[i + 33].StartsWith('└'))
                panels.Add(lines.Skip(i + 1).Take(32).Select(l => l[1..129]).ToArray());
        return panels;
    }

    public static bool AnyInk(string[] panel, int firstRow, int rows) =>
        panel.Skip(firstRow).Take(rows).Any(l => l.Trim().Length > 0);

    public static async Task<string[]> WaitForPanelAsync(CliProcess p, Func<string[], bool> matches)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (Panels(p).LastOrDefault() is { } last && matches(last))
                return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no matching OLED panel.\nstdout:\n{p.Stdout}\nstderr:\n{p.Stderr}");
    }
}
