namespace SocketLab.Core.Serial;

/// <summary>Which processes have a device open (Linux: /proc/PID/fd), so "busy" can name who to close.</summary>
public static class PortHolders
{
    /// <summary>"socat (pid 4242)", several joined by commas; null when none can be seen (not Linux, or another user's process).</summary>
    public static string? Describe(string device)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
            return null;
        string target;
        try
        {
            target = Path.GetFullPath(new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device);
        }
        catch (IOException)
        {
            target = Path.GetFullPath(device);
        }
        var found = new List<string>();
        int self = Environment.ProcessId;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == self)
                continue;
            try
            {
                foreach (string fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget == target)
                    {
                        found.Add($"{File.ReadAllText(Path.Combine(dir, "comm")).Trim()} (pid {pid})");
                        break;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that just ended.
            }
        }
        return found.Count == 0 ? null : string.Join(", ", found.Take(3));
    }
}
