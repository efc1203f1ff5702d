using System.Diagnostics;

namespace SocketLab.Core.Tests.Infrastructure;

/// <summary>
/// A tmpfs of a few hundred KiB mounted for one test, so "No space left on device" is real. Needs root
/// (CI runs the tests as root); without it the test fails with the reason rather than passing unseen.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    public SmallDisk(string size = "256k")
    {
        Path = Directory.CreateTempSubdirectory("socketlab-smalldisk-").FullName;
        (int code, string output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
        if (code != 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException($"mounting a {size} tmpfs needs root (the CI runs tests as root): {output}");
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Trim());
    }
}
