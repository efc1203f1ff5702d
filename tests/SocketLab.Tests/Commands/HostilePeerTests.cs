using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// The server meets broken boards, half-written clients, scanners and floods. After each, it still
/// answers, well-behaved clients got exactly their bytes, and open sockets and memory return to baseline.
/// </summary>
public class HostilePeerTests : IAsyncLifetime
{
    /// <summary>Extra environment for the server process.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ServerEnvironment => [];

    /// <summary>Extra arguments for the server (an engine).</summary>
    protected virtual string[] ServerArguments => [];

    protected int ServerProcessId => _server.Id;

    private CliProcess _server = null!;
    private int _port;
    private int _baselineSockets;
    private long _baselineRss;

    public async Task InitializeAsync()
    {
        // A small gen0 budget makes the GC collect often, so garbage not yet collected cannot pass for a leak
        // (or hide one): RSS then tracks what the server really holds.
        _server = CliProcess.Start(
            ["server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--idle-timeout", "20s", .. ServerArguments],
            redirectStdin: true,
            new Dictionary<string, string>(ServerEnvironment) { ["DOTNET_GCgen0size"] = "400000" });
        _port = await _server.WaitForPortAsync();
        await AssertStillEchoesAsync(); // Warm up JIT and pools before the baseline.
        await Task.Delay(300);
        _baselineSockets = ProcStats.OpenSockets(_server.Id);
        _baselineRss = ProcStats.RssKiB(_server.Id);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task AssertStillEchoesAsync()
    {
        using Socket s = await RawPeer.ConnectAsync(_port);
        byte[] msg = Encoding.UTF8.GetBytes($"still here 你好 {Guid.NewGuid()}");
        await s.SendAsync(msg, SocketFlags.None);
        Assert.Equal(msg, await RawPeer.ReadExactlyAsync(s, msg.Length));
    }

    private async Task AssertBackToBaselineAsync()
    {
        await AssertStillEchoesAsync();
        int sockets = await ProcStats.WaitForSocketsAsync(_server.Id, _baselineSockets, slack: 0);
        Assert.True(sockets <= _baselineSockets, $"open sockets {sockets}, baseline {_baselineSockets}");
        long rss = ProcStats.RssKiB(_server.Id);
        Assert.True(rss < _baselineRss + 32 * 1024, $"RSS {rss} KiB, baseline {_baselineRss} KiB");
        Assert.False(_server.HasExited);
    }

    [Fact]
    public async Task Random_bytes_and_every_invalid_sequence_are_echoed_unchanged()
    {
        var payloads = new List<byte[]> { RandomNumberGenerator.GetBytes(100_000) };
        for (int b = 0x80; b <= 0xFF; b++)
            payloads.Add([(byte)b, 0x41, (byte)b, (byte)b, 0xE4, 0xBD]); // Lone continuation/lead bytes, truncated sequences.
        payloads.Add([0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xC0, 0xAF, 0x81, 0x7F, 0xFE]); // Surrogates, > U+10FFFF, overlong, bad GBK.
        foreach (byte[] p in payloads)
        {
            using Socket s = await RawPeer.ConnectAsync(_port);
            await s.SendAsync(p, SocketFlags.None);
            Assert.Equal(p, await RawPeer.ReadExactlyAsync(s, p.Length));
        }
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task A_10_MiB_single_write_comes_back_whole()
    {
        byte[] payload = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        using Socket s = await RawPeer.ConnectAsync(_port);
        Task<byte[]> back = RawPeer.ReadExactlyAsync(s, payload.Length);
        await s.SendAsync(payload, SocketFlags.None);
        byte[] got = await back;
        Assert.True(payload.AsSpan().SequenceEqual(got));
        s.Close();
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task A_dribbler_does_not_slow_fast_clients()
    {
        using Socket slow = await RawPeer.ConnectAsync(_port);
        using var stop = new CancellationTokenSource();
        Task dribble = Task.Run(async () =>
        {
            int i = 0;
            while (!stop.IsCancellationRequested)
            {
                await slow.SendAsync(new[] { (byte)('a' + i++ % 26) }, SocketFlags.None);
                try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var fast = Enumerable.Range(0, 10).Select(async i =>
        {
            using Socket s = await RawPeer.ConnectAsync(_port);
            for (int round = 0; round < 100; round++)
            {
                byte[] msg = Encoding.ASCII.GetBytes($"fast {i} round {round}");
                await s.SendAsync(msg, SocketFlags.None);
                Assert.Equal(msg, await RawPeer.ReadExactlyAsync(s, msg.Length));
            }
        });
        await Task.WhenAll(fast).WaitAsync(TimeSpan.FromSeconds(20));
        stop.Cancel();
        await dribble;
        slow.Close();
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task A_reader_that_never_reads_holds_bounded_memory()
    {
        using Socket hog = await RawPeer.ConnectAsync(_port);
        hog.ReceiveBufferSize = 4096;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        byte[] chunk = new byte[64 * 1024];
        try
        {
            while (true)
                await hog.SendAsync(chunk, SocketFlags.None, stop.Token);
        }
        catch (OperationCanceledException) { }
        long rss = ProcStats.RssKiB(_server.Id);
        Assert.True(rss < _baselineRss + 64 * 1024, $"RSS grew to {rss} KiB from {_baselineRss} KiB");
        await AssertStillEchoesAsync();
        hog.Close();
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_a_transfer_hurts_no_one()
    {
        for (int i = 0; i < 20; i++)
        {
            using Socket s = await RawPeer.ConnectAsync(_port);
            await s.SendAsync(RandomNumberGenerator.GetBytes(200_000), SocketFlags.None);
            s.LingerState = new LingerOption(true, 0);
            s.Close(); // RST with data in flight both ways.
        }
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task Ten_thousand_connect_close_cycles()
    {
        const int cycles = 10_000;
        int done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, cycles), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(System.Net.IPAddress.Loopback, _port, ct);
            if (i % 3 == 0)
                s.LingerState = new LingerOption(true, 0);
            s.Close();
            Interlocked.Increment(ref done);
        }).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(cycles, done);
        await AssertBackToBaselineAsync();
    }

    [Fact]
    public async Task A_flood_past_max_clients_is_refused_and_the_others_served()
    {
        await using var limited = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--max-clients", "50");
        int port = await limited.WaitForPortAsync();
        var held = new List<Socket>();
        for (int i = 0; i < 50; i++)
            held.Add(await RawPeer.ConnectAsync(port));
        await limited.WaitForLineAsync(@"#50 .* connected$");
        int baseline = ProcStats.OpenSockets(limited.Id);

        for (int i = 0; i < 300; i++)
        {
            try
            {
                using Socket extra = await RawPeer.ConnectAsync(port);
                int n = await extra.ReceiveAsync(new byte[8].AsMemory(), SocketFlags.None).AsTask().WaitAsync(RawPeer.Limit);
                Assert.Equal(0, n);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset) { }
        }
        await limited.WaitForLineAsync(@"#350 .* rejected: more than --max-clients 50$");

        // The 50 served ones still echo, and the rejected ones left nothing behind.
        await Task.WhenAll(held.Select(async (s, i) =>
        {
            byte[] msg = Encoding.ASCII.GetBytes($"held {i}");
            await s.SendAsync(msg, SocketFlags.None);
            Assert.Equal(msg, await RawPeer.ReadExactlyAsync(s, msg.Length));
        }));
        Assert.True(await ProcStats.WaitForSocketsAsync(limited.Id, baseline, slack: 0) <= baseline);
        held.ForEach(s => s.Dispose());
    }
}

/// <summary>
/// The same hostile peers against the socket path Windows and macOS run (non-blocking sockets, the async engine),
/// forced on Linux with <c>SOCKETLAB_PORTABLE_SOCKETS=1</c>: otherwise no test would ever execute that path.
/// </summary>
public sealed class PortableHostilePeerTests : HostilePeerTests
{
    protected override IEnumerable<KeyValuePair<string, string>> ServerEnvironment => [new("SOCKETLAB_PORTABLE_SOCKETS", "1")];

    [Fact]
    public void The_server_runs_no_epoll_loop()
    {
        IEnumerable<string> names = Directory.GetDirectories($"/proc/{ServerProcessId}/task")
            .Select(task => { try { return File.ReadAllText(Path.Combine(task, "comm")).Trim(); } catch (IOException) { return ""; } });
        Assert.DoesNotContain(names, n => n.StartsWith("socketlab-epoll", StringComparison.Ordinal));
    }
}

/// <summary>The same hostile peers against the io_uring engine (<c>--engine uring</c>).</summary>
public sealed class UringHostilePeerTests : HostilePeerTests
{
    protected override string[] ServerArguments => ["--engine", "uring"];

    [Fact]
    public void The_server_runs_uring_loops_and_no_epoll_loop()
    {
        IEnumerable<string> names = Directory.GetDirectories($"/proc/{ServerProcessId}/task")
            .Select(task => { try { return File.ReadAllText(Path.Combine(task, "comm")).Trim(); } catch (IOException) { return ""; } });
        Assert.Contains(names, n => n.StartsWith("socketlab-uring", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("socketlab-epoll", StringComparison.Ordinal));
    }
}
