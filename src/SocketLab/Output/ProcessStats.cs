using System.Diagnostics;
using System.Text.Json;

namespace SocketLab.Cli.Output;

/// <summary>A snapshot of a running server's health, for --stats and soak runs.</summary>
public sealed record ProcessStats(
    int Clients, long Accepted, long Rejected, long BytesIn, long BytesOut,
    long RssBytes, long HeapBytes, int Gen0, int Gen1, int Gen2, int OpenFds, int Threads)
{
    public static ProcessStats Take(int clients, long accepted, long rejected, long bytesIn, long bytesOut)
    {
        using Process self = Process.GetCurrentProcess();
        int fds = OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : -1;
        return new ProcessStats(clients, accepted, rejected, bytesIn, bytesOut,
            self.WorkingSet64, GC.GetTotalMemory(false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            fds, self.Threads.Count);
    }

    public string Format() =>
        $"{Clients} clients, {Accepted} accepted, {Rejected} rejected, in {BytesIn} B, out {BytesOut} B, " +
        $"rss {RssBytes / 1024} KiB, heap {HeapBytes / 1024} KiB, gc {Gen0}/{Gen1}/{Gen2}, fds {OpenFds}, threads {Threads}";

    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteNumber("clients", Clients);
        w.WriteNumber("accepted", Accepted);
        w.WriteNumber("rejected", Rejected);
        w.WriteNumber("bytes_in", BytesIn);
        w.WriteNumber("bytes_out", BytesOut);
        w.WriteNumber("rss_bytes", RssBytes);
        w.WriteNumber("heap_bytes", HeapBytes);
        w.WriteNumber("gc0", Gen0);
        w.WriteNumber("gc1", Gen1);
        w.WriteNumber("gc2", Gen2);
        w.WriteNumber("fds", OpenFds);
        w.WriteNumber("threads", Threads);
    }
}
