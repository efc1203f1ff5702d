using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SocketLab.Core.Tests.Infrastructure;

/// <summary>
/// Two connected pseudo-terminals from <c>socat -d -d pty,raw,echo=0 pty,raw,echo=0</c>: a serial
/// cable without hardware. <see cref="Near"/> is the port under test, <see cref="Far"/> the device's
/// end; <see cref="Unplug"/> kills socat, which makes both ports vanish as a pulled USB adapter does.
/// </summary>
public sealed partial class PtyPair : IAsyncDisposable
{
    private readonly Process _socat;

    private PtyPair(Process socat, string near, string far)
    {
        _socat = socat;
        Near = near;
        Far = far;
    }

    public string Near { get; }
    public string Far { get; }

    public static async Task<PtyPair> StartAsync()
    {
        var psi = new ProcessStartInfo("socat") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0" })
            psi.ArgumentList.Add(a);
        Process socat = Process.Start(psi)!;
        var names = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (names.Count < 2)
        {
            string? line = await socat.StandardError.ReadLineAsync(timeout.Token);
            if (line is null)
                throw new InvalidOperationException("socat ended before making two ptys (is socat installed? scripts/install-deps.sh installs it)");
            if (PtyLine().Match(line) is { Success: true } m)
                names.Add(m.Groups[1].Value);
        }
        // Keep draining socat's log so it never blocks on a full pipe.
        _ = Task.Run(async () => { while (await socat.StandardError.ReadLineAsync() is not null) { } });
        return new PtyPair(socat, names[0], names[1]);
    }

    /// <summary>The device's end as a plain file stream (no buffering), for the test to play the device.</summary>
    public FileStream OpenFar() => new(Far, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);

    /// <summary>Pulls the cable: socat dies and both ptys go away.</summary>
    public void Unplug()
    {
        if (!_socat.HasExited)
            _socat.Kill();
        _socat.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Unplug();
        _socat.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"PTY is (\S+)")]
    private static partial Regex PtyLine();
}
