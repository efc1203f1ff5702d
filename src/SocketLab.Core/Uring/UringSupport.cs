using static SocketLab.Core.Uring.UringNative;

namespace SocketLab.Core.Uring;

/// <summary>
/// Whether this process can run the io_uring engines: Linux 6.0 or later on x64/arm64 (multishot receive
/// into a provided-buffer ring), io_uring_setup allowed (not turned off by kernel.io_uring_disabled nor
/// refused by a container's seccomp filter), and the opcodes used reported by IORING_REGISTER_PROBE.
/// Probed once, by setting up a small ring and registering a buffer ring on it.
/// </summary>
public static class UringSupport
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when io_uring can be used; otherwise why not, in a few words.</summary>
    public static string? Unavailable => Reason.Value;

    public static bool IsAvailable => Unavailable is null;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is not (System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64))
            return "io_uring needs Linux on x64 or arm64";
        if (Environment.OSVersion.Version < new Version(6, 0))
            return $"io_uring multishot receive needs Linux 6.0 or later (this is {Environment.OSVersion.Version})";
        try
        {
            using var ring = new IoUring(8, 16);
            if (!ring.Supports(OpSend, OpRecv))
                return "io_uring here lacks send or recv (IORING_REGISTER_PROBE)";
            using var buffers = new ProvidedBuffers(ring, 0, 1, 64);
            return null;
        }
        catch (UringUnavailableException ex)
        {
            return ex.Message;
        }
        catch (EntryPointNotFoundException)
        {
            return "io_uring needs a C library with syscall()";
        }
    }
}
