using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>What a peer can do to the console, and what a console nobody reads can do to the server.</summary>
public sealed class ConsoleSafetyTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_peer_cannot_fake_a_log_line_with_cr_or_reorder_it_with_bidi_controls_unless_raw()
    {
        const string fake = "14:00:00.000 #99 ('10.6.6.6', 666) connected";
        foreach (bool raw in new[] { false, true })
        {
            string[] args = ["server", "--port", "0", "--bind", "127.0.0.1", "--no-echo"];
            await using var server = CliProcess.Start(raw ? [.. args, "--raw"] : args);
            int port = await server.WaitForPortAsync();
            using (Socket s = await RawPeer.ConnectAsync(port))
            {
                await s.SendAsync(Encoding.UTF8.GetBytes($"innocent\r{fake}\n"), SocketFlags.None);
                await server.WaitForLineAsync(@"#1 innocent");
                await s.SendAsync(Encoding.UTF8.GetBytes("invoice\u202Etxt.exe\n"), SocketFlags.None);
                await server.WaitForLineAsync(@"#1 invoice");
            }
            await server.WaitForLineAsync("close socket$");
            if (raw)
            {
                // What --raw lets through: the terminal would show the fake line (the reader here splits at CR).
                Assert.Contains(fake, server.StdoutLines);
                Assert.Contains(server.StdoutLines, l => l.EndsWith("#1 invoice\u202Etxt.exe", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains(server.StdoutLines, l => l.EndsWith($"#1 innocent\\x0D{fake}", StringComparison.Ordinal));
                Assert.DoesNotContain(fake, server.StdoutLines);
                Assert.Contains(server.StdoutLines, l => l.EndsWith("#1 invoice\\u202Etxt.exe", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Sigterm_stops_a_server_whose_stdout_nobody_reads()
    {
        // stdout is a pipe this test never reads: after 64 KiB the server's console writes block for good.
        var psi = new ProcessStartInfo(CliProcess.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in CliProcess.Command("server", "--port", "0", "--bind", "127.0.0.1", "--json")[1..])
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        var portSeen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            // The port comes from the first JSON line: read exactly that one line, byte by byte, and no more.
            var first = new List<byte>();
            Stream stdout = process.StandardOutput.BaseStream;
            for (int b; (b = stdout.ReadByte()) is not -1 and not '\n';)
                first.Add((byte)b);
            int port = int.Parse(Regex.Match(Encoding.UTF8.GetString(first.ToArray()), @"""local"":""127\.0\.0\.1:(\d+)""").Groups[1].Value);

            // Churn connections until far more console lines are owed than the pipe and the sink's queue hold.
            for (int i = 0; i < 15_000; i++)
            {
                using Socket s = await RawPeer.ConnectAsync(port);
                await s.SendAsync("x"u8.ToArray(), SocketFlags.None);
                byte[] one = new byte[1];
                Assert.Equal(1, await s.ReceiveAsync(one.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Exit)); // Echo goes on.
            }

            var clock = Stopwatch.StartNew();
            Assert.Equal(0, kill(process.Id, 15));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
            process.WaitForExit();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            Assert.Equal(0, process.ExitCode);
            lock (stderr)
            {
                Assert.Matches(@"socketlab: stdout is not being read; stopped without showing \d+ lines", stderr.ToString());
                Assert.DoesNotContain("   at ", stderr.ToString());
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
