using System.Reflection;
using System.Runtime.InteropServices;

namespace SocketLab.Cli;

/// <summary>
/// The Linux release is one file, but System.IO.Ports calls into a native library of its own
/// (libSystem.IO.Ports.Native.so, shipped only as a shared library). The release embeds it; on first use it is
/// written once to the user's cache folder and loaded from there. Builds that have it beside them (dotnet run,
/// dotnet tool, a publish folder) load it the usual way.
/// </summary>
public static class BundledNativeLibraries
{
    private const string PortsNative = "libSystem.IO.Ports.Native";
    private const string Resource = "native/" + PortsNative + ".so";

    public static void Install()
    {
        Assembly ports = typeof(System.IO.Ports.SerialPort).Assembly;
        if (!OperatingSystem.IsLinux() || typeof(BundledNativeLibraries).Assembly.GetManifestResourceInfo(Resource) is null)
            return;
        NativeLibrary.SetDllImportResolver(ports, (name, assembly, searchPath) =>
        {
            if (!name.StartsWith(PortsNative, StringComparison.Ordinal))
                return IntPtr.Zero;
            if (NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, PortsNative + ".so"), out IntPtr beside))
                return beside;
            return NativeLibrary.Load(Extract());
        });
    }

    /// <summary>Writes the embedded library once per version (its size in the name) and returns its path.</summary>
    private static string Extract()
    {
        using Stream source = typeof(BundledNativeLibraries).Assembly.GetManifestResourceStream(Resource)!;
        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string dir = Path.Combine(cache, "socketlab", "native", $"{ThisAssembly()}-{source.Length}");
        string path = Path.Combine(dir, PortsNative + ".so");
        if (File.Exists(path) && new FileInfo(path).Length == source.Length)
            return path;
        Directory.CreateDirectory(dir);
        string temp = path + $".{Environment.ProcessId}.tmp";
        using (FileStream target = File.Create(temp))
            source.CopyTo(target);
        File.Move(temp, path, overwrite: true); // Another process writing the same file at once ends with the same bytes.
        return path;
    }

    private static string ThisAssembly() =>
        typeof(BundledNativeLibraries).Assembly.GetName().Version?.ToString() ?? "0";
}
