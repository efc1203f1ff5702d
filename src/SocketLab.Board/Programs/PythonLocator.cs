namespace SocketLab.Board.Programs;

/// <summary>Finds the CPython 3 that runs board programs: <c>--python</c>, else <c>python3</c> (or <c>python</c> on Windows) on PATH.</summary>
public static class PythonLocator
{
    public static string? Find(string? given)
    {
        if (given is not null)
            return File.Exists(given) ? Path.GetFullPath(given) : OnPath(given);
        return OnPath("python3") ?? (OperatingSystem.IsWindows() ? OnPath("python") : null);
    }

    private static string? OnPath(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar))
            return null;
        string[] suffixes = OperatingSystem.IsWindows() ? [".exe", ""] : [""];
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string suffix in suffixes)
            {
                string candidate = Path.Combine(dir, name + suffix);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
