using System.Runtime.InteropServices;

namespace SocketLab.Core.Net;

/// <summary>
/// How many more connections this process can hold before it runs out of file descriptors.
/// The .NET runtime itself needs descriptors now and then (and fails hard without them), so a
/// server stops accepting a reserve short of the limit instead of letting accept() hit EMFILE.
/// </summary>
public static partial class FileDescriptorBudget
{
    /// <summary>Descriptors kept free for the runtime, logging, files and the like.</summary>
    public const int Reserve = 64;

    /// <summary>Connections that fit under the soft RLIMIT_NOFILE, given what is open now; null where unknown (not Linux/macOS).</summary>
    public static int? ConnectionsAvailable()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return null;
        try
        {
            if (getrlimit(OperatingSystem.IsLinux() ? 7 : 8, out RLimit limit) != 0 || limit.Current > int.MaxValue)
                return null;
            int open = OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : 64;
            return Math.Max(1, (int)limit.Current - open - Reserve);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);
}
