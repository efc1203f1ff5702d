using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab replay on files that are huge, endless or absurd: streamed, bounded, one clear line.</summary>
public sealed class ReplayHostileFileTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-replay-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TranscriptEvent Data(long conn, TranscriptDirection dir, byte[] data, DateTimeOffset time) => new()
    {
        Time = time,
        Protocol = "tcp",
        Role = "client",
        Connection = conn,
        Kind = TranscriptEventKind.Data,
        Direction = dir,
        Data = data,
    };

    private static async Task<(CliProcess Server, int Port)> EchoServerAsync()
    {
        CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        return (server, await server.WaitForPortAsync());
    }

    /// <summary>Runs replay, sampling its RSS until it exits; returns the exit code, stderr and the peak RSS in KiB.</summary>
    private static async Task<(int Code, string Stdout, string Stderr, long PeakKiB)> ReplayAsync(params string[] args)
    {
        await using CliProcess replay = CliProcess.Start(["replay", .. args]);
        replay.StandardInput.Close();
        long peak = 0;
        var deadline = DateTime.UtcNow + Wait;
        while (!replay.HasExited && DateTime.UtcNow < deadline)
        {
            try { peak = Math.Max(peak, ProcStats.RssKiB(replay.Id)); }
            catch (Exception ex) when (ex is IOException or InvalidOperationException) { }
            await Task.Delay(50);
        }
        int code = await replay.WaitForExitAsync(Wait);
        return (code, replay.Stdout, replay.Stderr, peak);
    }

    [Fact]
    public async Task Dev_zero_is_refused_at_line_1_with_exit_12_instead_of_running_until_killed()
    {
        var (code, _, stderr, peak) = await ReplayAsync("/dev/zero", "--to", "127.0.0.1:1");
        Assert.Equal(12, code);
        Assert.Equal("socketlab replay: cannot read '/dev/zero': /dev/zero:1: not a transcript event (the line is longer than 16 MiB)", stderr.Trim());
        Assert.True(peak < 200 * 1024, $"peak RSS {peak} KiB");
    }

    [Fact]
    public async Task A_sparse_gigabyte_file_is_refused_at_line_1_without_reading_it_into_memory()
    {
        string path = Path.Combine(_dir, "sparse.jsonl");
        using (var f = new FileStream(path, FileMode.Create))
            f.SetLength(1L << 30);
        var (code, _, stderr, peak) = await ReplayAsync(path, "--to", "127.0.0.1:1");
        Assert.Equal(12, code);
        Assert.Contains($"{path}:1: not a transcript event (the line is longer than 16 MiB)", stderr);
        Assert.DoesNotContain("OutOfMemory", stderr);
        Assert.True(peak < 200 * 1024, $"peak RSS {peak} KiB");
    }

    [Fact]
    public async Task A_large_transcript_is_streamed_only_the_replayed_connection_is_held()
    {
        (CliProcess server, int port) = await EchoServerAsync();
        await using CliProcess _ = server;
        string path = Path.Combine(_dir, "big.jsonl");
        DateTimeOffset t = DateTimeOffset.Now;
        using (var writer = new TranscriptWriter(path))
        {
            writer.Write(Data(1, TranscriptDirection.Out, "hello"u8.ToArray(), t));
            writer.Write(Data(1, TranscriptDirection.In, "hello"u8.ToArray(), t.AddMilliseconds(1)));
            byte[] chunk = new byte[32 * 1024];
            new Random(7).NextBytes(chunk);
            for (int i = 0; i < 6000; i++) // 192 MiB of another connection's data, 262 MB of file.
                writer.Write(Data(2, TranscriptDirection.In, chunk, t.AddMilliseconds(2)));
        }
        var (code, stdout, stderr, peak) = await ReplayAsync(path, "--to", $"127.0.0.1:{port}", "--connection", "1", "--speed", "0");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("replies match: 5 bytes, as recorded", stdout);
        Assert.True(peak < 150 * 1024, $"peak RSS {peak} KiB for a {new FileInfo(path).Length / (1024 * 1024)} MiB transcript");
    }

    [Fact]
    public async Task One_huge_connection_replays_in_bounded_memory_compared_as_it_comes()
    {
        (CliProcess server, int port) = await EchoServerAsync();
        await using CliProcess _ = server;
        string path = Path.Combine(_dir, "one.jsonl");
        DateTimeOffset t = DateTimeOffset.Now;
        using (var writer = new TranscriptWriter(path))
        {
            var random = new Random(9);
            byte[] chunk = new byte[32 * 1024];
            for (int i = 0; i < 4000; i++) // 125 MiB sent and echoed: 340 MB of transcript.
            {
                random.NextBytes(chunk);
                writer.Write(Data(1, TranscriptDirection.Out, chunk, t));
                writer.Write(Data(1, TranscriptDirection.In, chunk, t));
            }
        }
        var (code, stdout, stderr, peak) = await ReplayAsync(path, "--to", $"127.0.0.1:{port}", "--speed", "0");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"replies match: {4000 * 32 * 1024} bytes, as recorded", stdout);
        Assert.True(peak < 150 * 1024, $"peak RSS {peak} KiB for a {new FileInfo(path).Length / (1024 * 1024)} MiB transcript");
    }

    [Fact]
    public async Task A_hundred_year_gap_is_a_clear_error_with_its_line_and_speed_0_skips_the_pauses()
    {
        (CliProcess server, int port) = await EchoServerAsync();
        await using CliProcess _ = server;
        string path = Path.Combine(_dir, "gap.jsonl");
        DateTimeOffset t = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using (var writer = new TranscriptWriter(path))
        {
            writer.Write(Data(1, TranscriptDirection.Out, "a"u8.ToArray(), t));
            writer.Write(Data(1, TranscriptDirection.In, "a"u8.ToArray(), t));
            writer.Write(Data(1, TranscriptDirection.Out, "b"u8.ToArray(), t.AddYears(100)));
            writer.Write(Data(1, TranscriptDirection.In, "b"u8.ToArray(), t.AddYears(100)));
        }
        var (code, _, stderr, _) = await ReplayAsync(path, "--to", $"127.0.0.1:{port}");
        Assert.Equal(12, code);
        Assert.Equal($"socketlab replay: cannot read '{path}': {path}:3: this send comes 36525 days after the connection opened; a replay pauses at most 25 days (--speed 0 sends without pauses)", stderr.Trim());

        var (fast, stdout, _, _) = await ReplayAsync(path, "--to", $"127.0.0.1:{port}", "--speed", "0");
        Assert.Equal(0, fast);
        Assert.Contains("replies match: 2 bytes", stdout);
    }

    [Fact]
    public async Task An_absurd_timeout_is_a_usage_error()
    {
        var (code, _, stderr, _) = await ReplayAsync(Path.Combine(_dir, "none.jsonl"), "--to", "127.0.0.1:1", "--timeout", "99999999h");
        Assert.Equal(2, code);
        Assert.Contains("--timeout takes at most 25 days, got '99999999h'", stderr);
        Assert.DoesNotContain("ArgumentOutOfRange", stderr);
    }
}
