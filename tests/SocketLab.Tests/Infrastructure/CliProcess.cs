using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace SocketLab.Tests.Infrastructure;

/// <summary>The built socketlab CLI running as a real process, with its output captured line by line.</summary>
public sealed partial class CliProcess : IAsyncDisposable
{
    /// <summary>The built socketlab.dll, run with dotnet.</summary>
    public static string DllPath { get; } = typeof(CliProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SocketLabCli").Value!;

    /// <summary>A socketlab executable to test instead of the dll (SOCKETLAB_CLI, e.g. the NativeAOT release binary), so the shipped file is the tested one.</summary>
    public static string? NativePath { get; } = Environment.GetEnvironmentVariable("SOCKETLAB_CLI") is { Length: > 0 } path
        ? File.Exists(path) ? path : throw new InvalidOperationException($"SOCKETLAB_CLI names no file: '{path}' (give an absolute path)")
        : null;

    /// <summary>The name help text shows in 'Usage:' (the executable's file name, as the user typed it).</summary>
    public static string HelpName => NativePath is { } native ? Path.GetFileNameWithoutExtension(native) : "socketlab";

    /// <summary>The program that runs the CLI: the native binary, else dotnet.</summary>
    public static string Program => NativePath ?? "dotnet";

    /// <summary>The whole command line for the CLI with <paramref name="args"/>: [program, (dll,) args...].</summary>
    public static string[] Command(params string[] args) => NativePath is { } native ? [native, .. args] : ["dotnet", DllPath, .. args];

    /// <summary>The CLI quoted for a shell command line (without arguments).</summary>
    public static string ShellCommand => string.Join(' ', Command().Select(a => $"'{a}'"));

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private CliProcess(Process process)
    {
        _process = process;
    }

    public static CliProcess Start(params string[] args) => Start(args, redirectStdin: true);

    public static CliProcess Start(string[] args, bool redirectStdin, IDictionary<string, string>? env = null) =>
        StartWith(Program, Command(args)[1..], redirectStdin, env);

    /// <summary>Runs another program (e.g. prlimit wrapping the CLI) with the same capture.</summary>
    public static CliProcess StartWith(string program, string[] args, bool redirectStdin = true, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        if (env is not null)
            foreach ((string k, string v) in env)
                psi.Environment[k] = v;
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var cli = new CliProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { cli._stdout.Enqueue(e.Data); cli._lineArrived.Release(); } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { cli._stderr.Enqueue(e.Data); cli._lineArrived.Release(); } };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to completion and returns exit code with all output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using CliProcess p = Start(args, redirectStdin: true);
        p.StandardInput.Close();
        int code = await p.WaitForExitAsync(timeout);
        return (code, p.Stdout, p.Stderr);
    }

    public int Id => _process.Id;
    public StreamWriter StandardInput => _process.StandardInput;
    public string Stdout => string.Join('\n', _stdout);
    public string Stderr => string.Join('\n', _stderr);
    public IReadOnlyList<string> StdoutLines => _stdout.ToArray();
    public bool HasExited => _process.HasExited;

    /// <summary>Waits until a stdout line matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan? timeout = null, bool stderr = false)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            foreach (string line in stderr ? _stderr : _stdout)
            {
                Match m = regex.Match(line);
                if (m.Success)
                    return m;
            }
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"no line matching /{pattern}/ on {(stderr ? "stderr" : "stdout")}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}\nexited: {_process.HasExited}");
            await _lineArrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Starts a server on a free port and returns the port it printed.</summary>
    public async Task<int> WaitForPortAsync()
    {
        Match m = await WaitForLineAsync(@"^127\.0\.0\.1:(\d+)$");
        return int.Parse(m.Groups[1].Value);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"socketlab did not exit within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // Drains the asynchronous output readers.
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM (or another signal), as a service manager or `kill` would.</summary>
    public void Signal(int signal = 15) => _ = kill(_process.Id, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
