using System.Net;
using SocketLab.Core.Bench;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Tests.Tcp;
using SocketLab.Tests.Shared;

namespace SocketLab.Core.Tests.Bench;

public class EchoBenchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static BenchOptions Short(IPEndPoint target) => new()
    {
        Target = target,
        Connections = 8,
        Size = 100,
        Warmup = TimeSpan.FromMilliseconds(200),
        Duration = TimeSpan.FromMilliseconds(1200), // A loaded CI machine still echoes something in this time.
        SampleInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>The engines that run here: uring where the kernel allows it (this project's machines and CI do).</summary>
    public static SocketEngine[] Engines => EchoBench.UringAvailable
        ? [SocketEngine.Epoll, SocketEngine.Async, SocketEngine.Uring]
        : [SocketEngine.Epoll, SocketEngine.Async];

    public static TheoryData<SocketEngine> EachEngine() => new(Engines);

    public static TheoryData<SocketEngine, int, int> Loads()
    {
        var data = new TheoryData<SocketEngine, int, int>();
        foreach (SocketEngine engine in Engines)
        {
            data.Add(engine, 1, 32);
            data.Add(engine, 1, 70_000);   // Longer than one read: echoes arrive in pieces.
            data.Add(engine, 16, 512);
            data.Add(engine, 3, 100_000);
            data.Add(engine, 64, 300_000); // 19 MiB in flight per connection: sends wait for room.
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Loads))]
    public async Task Ping_pong_and_pipelined_runs_against_the_echo_server_count_messages_without_errors(SocketEngine engine, int depth, int size)
    {
        await using var server = new LoopbackServer();
        BenchResult r = await EchoBench.RunAsync(Short(server.EndPoint) with { Depth = depth, Size = size, Engine = engine }).WaitAsync(Limit);

        Assert.True(r.Ok, $"messages {r.Messages}, errors {r.Errors}, connected {r.Connected}, elapsed {r.Elapsed}: {r.FirstError ?? r.Mismatch?.ToString()}");
        Assert.Equal(8, r.Connected);
        Assert.True(r.Messages > 0);
        Assert.Equal(r.Messages * size, r.Bytes);
        Assert.Equal(r.Messages, r.Latency.TotalCount);
        Assert.InRange(r.Elapsed.TotalSeconds, 1.1, 6);
        Assert.True(r.LatencyMicros(50) > 0);
        Assert.Contains(r.Timeline, s => s.Measuring);
        Assert.Contains(r.Timeline, s => !s.Measuring);
    }

    public static TheoryData<SocketEngine, int, int, long> Flips()
    {
        var data = new TheoryData<SocketEngine, int, int, long>();
        foreach (SocketEngine engine in Engines)
        {
            data.Add(engine, 1, 32, 5_000);
            data.Add(engine, 8, 512, 20_001);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Flips))]
    public async Task A_server_that_flips_one_byte_fails_the_run_at_once_with_where_it_happened(SocketEngine engine, int depth, int size, long at)
    {
        await using var server = FaultyEchoServer.Corrupting(at);
        BenchResult r = await EchoBench.RunAsync(Short(server.EndPoint) with { Depth = depth, Size = size, Duration = TimeSpan.FromSeconds(20), Engine = engine }).WaitAsync(Limit);

        Assert.False(r.Ok);
        EchoMismatch m = Assert.IsType<EchoMismatch>(r.Mismatch);
        Assert.Equal(at, m.StreamOffset);
        Assert.Equal((byte)(m.Expected ^ 0xFF), m.Got);
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(10), "a corrupt echo ends the run early");
    }

    [Theory]
    [MemberData(nameof(EachEngine))]
    public async Task A_server_that_closes_connections_counts_errors(SocketEngine engine)
    {
        await using var server = FaultyEchoServer.Closing(at: 1000);
        BenchResult r = await EchoBench.RunAsync(Short(server.EndPoint) with { Size = 64, Engine = engine }).WaitAsync(Limit);

        Assert.False(r.Ok);
        Assert.Null(r.Mismatch);
        Assert.Equal(8, r.Errors);
        Assert.Contains("closed the connection", r.FirstError);
    }

    [Fact]
    public async Task Idle_connections_from_several_127_sources_all_echo_at_the_end()
    {
        var sources = new System.Collections.Concurrent.ConcurrentDictionary<IPAddress, int>();
        await using var server = new LoopbackServer(observer: new SourceCounter(sources));
        BenchResult r = await EchoBench.RunAsync(Short(server.EndPoint) with { Idle = 40 }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError);
        Assert.Equal(40, r.IdleConnected);
        Assert.Equal(40, r.IdleEchoed);
        Assert.Contains(IPAddress.Parse("127.0.0.2"), sources.Keys);
        Assert.Contains(IPAddress.Parse("127.0.0.9"), sources.Keys);
    }

    [Theory]
    [MemberData(nameof(EachEngine))]
    public async Task Nothing_listening_throws_connection_refused(SocketEngine engine)
    {
        await using var server = new LoopbackServer();
        IPEndPoint closed = server.EndPoint;
        await server.DisposeAsync();

        var ex = await Assert.ThrowsAsync<SocketLab.Core.Net.NetworkException>(() => EchoBench.RunAsync(Short(closed) with { Engine = engine }).WaitAsync(Limit));
        Assert.Equal(SocketLab.Core.Net.NetworkErrorKind.ConnectionRefused, ex.Kind);
        Assert.Contains("refused", ex.Message);
    }

    [Theory]
    [MemberData(nameof(EachEngine))]
    public async Task Connects_that_hang_time_out(SocketEngine engine)
    {
        using System.Net.Sockets.Socket listener = ConnectorTests.FullListener(out var fillers);
        try
        {
            var target = (IPEndPoint)listener.LocalEndPoint!;
            var options = Short(target) with { Engine = engine, Connections = 3, ConnectTimeout = TimeSpan.FromMilliseconds(400) };
            var ex = await Assert.ThrowsAsync<SocketLab.Core.Net.NetworkException>(() => EchoBench.RunAsync(options).WaitAsync(Limit));
            Assert.Equal(SocketLab.Core.Net.NetworkErrorKind.TimedOut, ex.Kind);
            Assert.Contains("timed out after 0.4 s", ex.Message);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public void Auto_picks_uring_then_epoll_for_plain_tcp_on_linux_and_async_sockets_for_tls()
    {
        var plain = Short(new IPEndPoint(IPAddress.Loopback, 9));
        SocketEngine onLinux = EchoBench.UringAvailable ? SocketEngine.Uring : SocketEngine.Epoll;
        Assert.Equal(OperatingSystem.IsLinux() ? onLinux : SocketEngine.Async, EchoBench.EngineFor(plain));
        Assert.Equal(SocketEngine.Async, EchoBench.EngineFor(plain with { Engine = SocketEngine.Async }));
        Assert.Equal(SocketEngine.Async, EchoBench.EngineFor(plain with { Tls = new SocketLab.Core.Tls.TlsClientOptions() }));
        Assert.Throws<ArgumentException>(() => EchoBench.EngineFor(plain with { Engine = SocketEngine.Epoll, Tls = new SocketLab.Core.Tls.TlsClientOptions() }));
        // Auto on Linux without io_uring says why it is on epoll; with it, there is nothing to say.
        Assert.Equal(OperatingSystem.IsLinux() && !EchoBench.UringAvailable, EchoBench.EngineNote(plain) is not null);
    }

    [Fact]
    public void The_uring_engine_refuses_tls_and_udp_and_says_why_when_the_kernel_does_not_allow_it()
    {
        var plain = Short(new IPEndPoint(IPAddress.Loopback, 9)) with { Engine = SocketEngine.Uring };
        Assert.Throws<ArgumentException>(() => EchoBench.EngineFor(plain with { Tls = new SocketLab.Core.Tls.TlsClientOptions() }));
        Assert.Throws<ArgumentException>(() => EchoBench.EngineFor(plain with { Udp = true }));
        if (EchoBench.UringAvailable)
        {
            Assert.Equal(SocketEngine.Uring, EchoBench.EngineFor(plain));
        }
        else
        {
            var ex = Assert.Throws<ArgumentException>(() => EchoBench.EngineFor(plain));
            Assert.Contains(SocketLab.Core.Uring.UringSupport.Unavailable!, ex.Message);
        }
    }

    [Fact]
    public void The_pattern_finds_the_first_wrong_byte_and_differs_between_connections()
    {
        var p = new EchoPattern();
        byte[] data = p.Slice(EchoPattern.StartOf(3) + 70_000, 300_000).ToArray();
        Assert.Equal(EchoPattern.MaxSlice, data.Length);
        Assert.Equal(-1, p.FirstMismatch(data, EchoPattern.StartOf(3) + 70_000));
        data[200_000] ^= 1;
        Assert.Equal(200_000, p.FirstMismatch(data, EchoPattern.StartOf(3) + 70_000));
        Assert.NotEqual(-1, p.FirstMismatch(p.Slice(EchoPattern.StartOf(4), 64).Span, EchoPattern.StartOf(5)));
        Assert.NotEqual(-1, p.FirstMismatch(p.Slice(0, 64).Span, 64)); // Consecutive messages differ.
    }

    private sealed class SourceCounter(System.Collections.Concurrent.ConcurrentDictionary<IPAddress, int> sources) : IConnectionObserver
    {
        public void OnConnected(TcpConnection connection) => sources.AddOrUpdate(connection.RemoteEndPoint.Address, 1, (_, n) => n + 1);
    }
}
