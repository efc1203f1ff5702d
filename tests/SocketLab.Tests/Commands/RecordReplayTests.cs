using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>--record on server and client, then socketlab replay against real servers.</summary>
public sealed class RecordReplayTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>Records a client session (greeting plus three typed lines) against an echo server.</summary>
    private async Task<(string Client, string Server)> RecordSessionAsync()
    {
        string clientFile = File("client.jsonl"), serverFile = File("server.jsonl");
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--record", serverFile);
        int port = await server.WaitForPortAsync();
        await using CliProcess client = CliProcess.Start("client", "127.0.0.1", port.ToString(), "-i", "--eol", "lf", "--record", clientFile);
        await client.WaitForLineAsync("^hello mPython,I am TCP Client$");
        foreach (string line in new[] { "one", "你好", "three" })
        {
            await client.StandardInput.WriteLineAsync(line);
            await client.StandardInput.FlushAsync();
            await client.WaitForLineAsync($"^{line}$");
        }
        client.StandardInput.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Wait));
        await server.WaitForLineAsync("close socket");
        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Wait));
        return (clientFile, serverFile);
    }

    [Fact]
    public async Task Recorded_session_replays_identically_against_an_echo_server_and_differs_against_a_silent_one()
    {
        (string clientFile, string serverFile) = await RecordSessionAsync();

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(clientFile);
        Assert.Equal(TranscriptEventKind.Open, events[0].Kind);
        Assert.Equal(TranscriptEventKind.Close, events[^1].Kind);
        Assert.All(events, e => Assert.Equal("client", e.Role));
        byte[] sent = events.Where(e => e.Direction == TranscriptDirection.Out && e.Kind == TranscriptEventKind.Data).SelectMany(e => e.Data.ToArray()).ToArray();
        Assert.Equal("hello mPython,I am TCP Clientone\n你好\nthree\n"u8.ToArray(), sent);
        Assert.Contains(TranscriptReader.ReadFile(serverFile), e => e.Echo);

        await using CliProcess echo = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await echo.WaitForPortAsync();
        var (code, stdout, stderr) = await CliProcess.RunAsync(Wait, "replay", clientFile, "--to", $"127.0.0.1:{port}", "--speed", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("replies match: 46 bytes", stdout);

        // The server's own transcript replays its client the same way.
        (code, stdout, stderr) = await CliProcess.RunAsync(Wait, "replay", serverFile, "--to", $"127.0.0.1:{port}", "--speed", "10");
        Assert.True(code == 0, stderr);

        await using CliProcess silent = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--no-echo");
        int silentPort = await silent.WaitForPortAsync();
        (code, stdout, _) = await CliProcess.RunAsync(Wait, "replay", clientFile, "--to", $"127.0.0.1:{silentPort}", "--speed", "0", "--timeout", "500ms");
        Assert.Equal(13, code);
        Assert.Contains("replies stop short: got 0 of 46 recorded bytes (in recorded reply #1", stdout);
        Assert.Contains("expected: \"hello mPython", stdout);
    }

    [Fact]
    public async Task Replay_compares_byte_streams_not_chunks_and_points_at_the_first_difference()
    {
        // A hand-written transcript: the replies were recorded in other chunks than a server will send them.
        string file = File("chunks.jsonl");
        string Line(string dir, string b64, int ms) =>
            $$"""{"time":"2026-01-01T00:00:00.{{ms:000}}+00:00","proto":"tcp","role":"client","conn":7,"event":"data","dir":"{{dir}}","bytes":{{Convert.FromBase64String(b64).Length}},"data":"{{b64}}"}""";
        await System.IO.File.WriteAllLinesAsync(file,
        [
            Line("out", Convert.ToBase64String("abc"u8), 0),
            Line("out", Convert.ToBase64String("def"u8), 1),
            Line("in", Convert.ToBase64String("ab"u8), 2),
            Line("in", Convert.ToBase64String("cdef"u8), 3),
        ]);

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        // First server: sends the right bytes one at a time. Second: one wrong byte.
        foreach ((string reply, int expectedCode) in new[] { ("abcdef", 0), ("abcXef", 13) })
        {
            Task<(int, string, string)> replay = CliProcess.RunAsync(Wait, "replay", file, "--to", $"127.0.0.1:{port}", "--speed", "0", "--timeout", "2s");
            using Socket peer = await listener.AcceptAsync();
            byte[] got = new byte[6];
            int n = 0;
            while (n < 6)
                n += await peer.ReceiveAsync(got.AsMemory(n));
            Assert.Equal("abcdef"u8.ToArray(), got);
            foreach (char c in reply)
                await peer.SendAsync(new[] { (byte)c });
            var (code, stdout, stderr) = await replay;
            Assert.True(code == expectedCode, stdout + stderr);
            if (expectedCode != 0)
                Assert.Contains("replies differ at byte 3 of 6 (in recorded reply #2 of 2", stdout);
        }
    }

    [Fact]
    public async Task Replay_refuses_bad_files_and_ambiguous_connections_with_one_line()
    {
        string bad = File("bad.jsonl");
        await System.IO.File.WriteAllTextAsync(bad, "{\"event\":\"data\"}\n");
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", bad, "--to", "127.0.0.1:9");
        Assert.Equal(12, code);
        Assert.Contains("bad.jsonl:1:", stderr);

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", File("missing.jsonl"), "--to", "127.0.0.1:9");
        Assert.Equal(12, code);

        string two = File("two.jsonl");
        await System.IO.File.WriteAllLinesAsync(two,
        [
            """{"time":"2026-01-01T00:00:00+00:00","proto":"tcp","conn":1,"event":"data","dir":"out","bytes":1,"data":"YQ=="}""",
            """{"time":"2026-01-01T00:00:00+00:00","proto":"tcp","conn":2,"event":"data","dir":"out","bytes":1,"data":"YQ=="}""",
        ]);
        (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", two, "--to", "127.0.0.1:9");
        Assert.Equal(2, code);
        Assert.Contains("pick one with --connection ID", stderr);

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", two, "--to", "127.0.0.1:9", "--connection", "two");
        Assert.Equal(2, code);
        Assert.Contains("--connection takes a connection number", stderr);

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", two, "--to", "nowhere");
        Assert.Equal(2, code);
        Assert.Contains("expected HOST:PORT", stderr);
    }

    [Fact]
    public async Task Record_into_a_missing_folder_is_one_line_and_exit_code_12()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Wait, "server", "--port", "0", "--record", Path.Combine(_dir, "no", "such", "dir", "x.jsonl"));
        Assert.Equal(12, code);
        Assert.StartsWith("socketlab: cannot write --record file", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
