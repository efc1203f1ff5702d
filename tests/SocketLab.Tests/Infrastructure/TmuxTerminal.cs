using System.Diagnostics;

namespace SocketLab.Tests.Infrastructure;

/// <summary>A real terminal of a given size (a detached tmux session) running a shell command; keys in, screen out.</summary>
public sealed class TmuxTerminal : IDisposable
{
    private readonly string _name = $"sl-{Guid.NewGuid():N}"[..16];

    private TmuxTerminal() { }

    /// <summary>Runs <paramref name="command"/> in a <paramref name="columns"/>×<paramref name="rows"/> terminal (TERM=xterm-256color, UTF-8).</summary>
    public static async Task<TmuxTerminal> StartAsync(string command, int columns, int rows)
    {
        var t = new TmuxTerminal();
        await RunAsync("new-session", "-d", "-s", t._name, "-x", columns.ToString(), "-y", rows.ToString(),
            $"export TERM=xterm-256color LANG=C.UTF-8; {command}");
        return t;
    }

    public Task KeysAsync(params string[] keys) => RunAsync(["send-keys", "-t", _name, .. keys]);

    /// <summary>The screen's lines, trailing blanks cut.</summary>
    public async Task<string[]> ScreenAsync() =>
        (await RunAsync("capture-pane", "-p", "-t", _name)).TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();

    public async Task<string[]> WaitForScreenAsync(Func<string[], bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            string[] lines = await ScreenAsync();
            if (done(lines))
                return lines;
            if (DateTime.UtcNow > until)
                throw new TimeoutException("the screen never matched:\n" + string.Join('\n', lines));
            await Task.Delay(100);
        }
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    public void Dispose() => RunAsync("kill-session", "-t", _name).Wait();
}
