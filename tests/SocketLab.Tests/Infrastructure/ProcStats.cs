namespace SocketLab.Tests.Infrastructure;

/// <summary>What Linux says about a process: open file descriptors and resident memory.</summary>
public static class ProcStats
{
    /// <summary>Open sockets (not all fds: the runtime maps assemblies lazily, which adds file fds over time).</summary>
    public static int OpenSockets(int pid)
    {
        int count = 0;
        foreach (string fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                    count++;
            }
            catch (IOException) { } // Closed while we looked.
        }
        return count;
    }

    public static long RssKiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>Waits (bounded) until the socket count is back to at most <paramref name="baseline"/> + <paramref name="slack"/>.</summary>
    public static async Task<int> WaitForSocketsAsync(int pid, int baseline, int slack = 4, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        int now;
        while ((now = OpenSockets(pid)) > baseline + slack && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        return now;
    }
}
