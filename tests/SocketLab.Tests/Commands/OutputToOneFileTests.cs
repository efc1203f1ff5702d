using System.Net.Sockets;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary><c>socketlab server &gt; log 2&gt;&amp;1</c>: stdout and stderr share one file, and neither overwrites the other.</summary>
public sealed class OutputToOneFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-one-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Stdout_and_stderr_redirected_to_one_file_keep_every_line()
    {
        string log = Path.Combine(_dir, "server.log");
        // exec: the shell becomes the server, so the signal below reaches it.
        await using var server = CliProcess.StartWith("bash",
            ["-c", $"exec {CliProcess.ShellCommand} server --port 0 --bind 127.0.0.1 > \"{log}\" 2>&1"], redirectStdin: true);
        int port = 0;
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); port == 0; await Task.Delay(50))
        {
            Assert.True(DateTime.UtcNow < deadline, "no port in the log");
            if (!File.Exists(log))
                continue; // The shell has not made it yet.
            Match m = Regex.Match(await File.ReadAllTextAsync(log), @"127\.0\.0\.1:(\d+)");
            if (m.Success)
                port = int.Parse(m.Groups[1].Value);
        }
        using (Socket client = await RawPeer.ConnectAsync(port))
        {
            await client.SendAsync("hello\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("hello\n"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 6));
        }
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); !(await File.ReadAllTextAsync(log)).Contains("close socket"); await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, await File.ReadAllTextAsync(log));

        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        string[] lines = await File.ReadAllLinesAsync(log);
        Assert.Equal("tcp waiting...", lines[0]);
        Assert.Equal($"127.0.0.1:{port}", lines[1]);
        Assert.Equal("accepting.....", lines[2]);
        Assert.Matches(@"#1 hello$", lines[4]);
        Assert.Equal("socketlab: 1 connections, 6 bytes in, 6 bytes out", lines[^1]);
    }
}
