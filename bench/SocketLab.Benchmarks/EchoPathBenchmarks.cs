using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Benchmarks;

/// <summary>
/// The server's echo path on loopback, server and client in this one process, so MemoryDiagnoser's
/// "Allocated" counts both sides: bytes allocated per echoed message in steady state.
/// One invocation does many round trips, and the benchmark method itself pools its state machine,
/// so what is left is the echo path's own allocation.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class EchoPathBenchmarks
{
    /// <summary>In this process (no generated project to build), few iterations: allocation is the point, not nanoseconds.</summary>
    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1));
    }

    private const int RoundTrips = 1000;
    private TcpServer _server = null!;
    private Socket _client = null!;
    private byte[] _message = null!;
    private byte[] _echo = null!;

    [Params(32, 512, 16 * 1024)]
    public int Size { get; set; }

    /// <summary>Messages sent before reading their echoes (1 = ping-pong).</summary>
    [Params(1, 16)]
    public int Depth { get; set; }

    [Params(true, false)]
    public bool ZeroByteReads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // The async engine: ZeroByteReads only means something there (the epoll engine never holds a buffer while
        // it waits), and it is what docs/benchmarks.md's table measured; the epoll engine's zero allocations are
        // shown by GC counts over real bench runs.
        _server = new TcpServer(
            new TcpServerOptions
            {
                BindAddress = IPAddress.Loopback,
                Port = 0,
                Engine = SocketEngine.Async,
                Connection = new TcpConnectionOptions { WaitForDataBeforeAllocatingBuffer = ZeroByteReads },
            },
            new SilentObserver());
        _server.Start();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(_server.LocalEndPoint);
        _message = new byte[Size * Depth];
        Random.Shared.NextBytes(_message);
        _echo = new byte[_message.Length];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask Echo()
    {
        for (int i = 0; i < RoundTrips / Depth; i++)
        {
            for (int sent = 0; sent < _message.Length;)
                sent += await _client.SendAsync(_message.AsMemory(sent), SocketFlags.None).ConfigureAwait(false);
            for (int got = 0; got < _echo.Length;)
            {
                int n = await _client.ReceiveAsync(_echo.AsMemory(got), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                    throw new InvalidOperationException("the server closed the connection");
                got += n;
            }
        }
        if (!_echo.AsSpan().SequenceEqual(_message))
            throw new InvalidOperationException("echo differs from what was sent");
    }

    private sealed class SilentObserver : IConnectionObserver;
}
