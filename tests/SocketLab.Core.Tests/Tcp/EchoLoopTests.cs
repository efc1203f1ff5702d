using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>
/// The echo loop guard against real loopback peers: a peer that echoes too (the board's tcpClient) is cut off
/// quickly; peers that repeat themselves on their own, stream zeros or send different messages are never cut.
/// </summary>
public class EchoLoopTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Counts what the server saw and hears about loops.</summary>
    private sealed class LoopWatcher : IConnectionObserver
    {
        private long _receivedBytes;
        public ConcurrentQueue<(TcpConnection Connection, EchoLoopInfo Loop)> Loops { get; } = new();
        public TaskCompletionSource<TcpConnection> Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public SemaphoreSlim LoopSignal { get; } = new(0);
        public long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

        public void OnConnected(TcpConnection connection) => Connected.TrySetResult(connection);
        public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) => Interlocked.Add(ref _receivedBytes, data.Length);

        public void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop)
        {
            Loops.Enqueue((connection, loop));
            LoopSignal.Release();
        }

        public async Task<EchoLoopInfo> NextLoopAsync()
        {
            Assert.True(await LoopSignal.WaitAsync(Limit), "the guard never found the loop");
            return Loops.Last().Loop;
        }
    }

    /// <summary>The board's tcpClient: sends what it receives straight back, and counts it.</summary>
    private sealed class EchoingPeer(Socket socket)
    {
        private long _bounces;
        private long _bytes;
        public long Bounces => Interlocked.Read(ref _bounces);
        public long BytesSent => Interlocked.Read(ref _bytes);

        public async Task RunAsync()
        {
            byte[] buffer = new byte[65536];
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0)
                        return;
                    Interlocked.Increment(ref _bounces);
                    await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                    Interlocked.Add(ref _bytes, n);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        public async Task SendAsync(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            await socket.SendAsync(bytes, SocketFlags.None);
            Interlocked.Add(ref _bytes, bytes.Length);
        }

        /// <summary>Waits until no bounce has happened for <paramref name="quiet"/>; returns the count.</summary>
        public async Task<long> SettledAsync(TimeSpan quiet)
        {
            long seen = Bounces;
            while (true)
            {
                await Task.Delay(quiet);
                long now = Bounces;
                if (now == seen)
                    return now;
                seen = now;
            }
        }
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task A_peer_that_echoes_too_is_cut_off_and_every_byte_is_still_reported(ServerEngine engine)
    {
        var watcher = new LoopWatcher();
        await using var server = new LoopbackServer(observer: watcher, engine: engine);
        using Socket socket = await server.ConnectAsync();
        var peer = new EchoingPeer(socket);
        Task echoing = peer.RunAsync();
        await peer.SendAsync("hello mPython,I am TCP Client");

        EchoLoopInfo loop = await watcher.NextLoopAsync();
        TcpConnection connection = await watcher.Connected.Task;
        Assert.False(connection.Echo);
        Assert.Equal(29, loop.PayloadLength);
        Assert.True(loop.Count >= EchoLoopInfo.Repeats, $"count {loop.Count}");
        Assert.True(loop.Duration < TimeSpan.FromSeconds(5), $"duration {loop.Duration}");

        // The bouncing has stopped, and what crossed the wire was all reported as received.
        // 20 normally: 19 echoes, then the held one sent as the last; a stall over 200 ms (a loaded machine) restarts the run.
        long bounces = await peer.SettledAsync(TimeSpan.FromMilliseconds(500));
        Assert.InRange(bounces, EchoLoopInfo.Repeats, 5 * EchoLoopInfo.Repeats);
        Assert.Equal(peer.BytesSent, watcher.ReceivedBytes);
        Assert.Equal(peer.BytesSent, connection.BytesIn);
        Assert.Equal(connection.BytesIn - 29, connection.BytesOut); // All echoed but the held copy's bounce.
        Assert.Single(watcher.Loops);

        // Turning echo back on re-arms the guard: the loop starts again and is broken again.
        connection.Echo = true;
        await peer.SendAsync("again");
        EchoLoopInfo second = await watcher.NextLoopAsync();
        Assert.Equal(5, second.PayloadLength);
        Assert.False(connection.Echo);
        socket.Shutdown(SocketShutdown.Both);
        await echoing.WaitAsync(Limit);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Without_the_guard_the_loop_goes_on(ServerEngine engine)
    {
        var watcher = new LoopWatcher();
        await using var server = new LoopbackServer(new TcpConnectionOptions { EchoLoopGuard = false }, observer: watcher, engine: engine);
        using Socket socket = await server.ConnectAsync();
        var peer = new EchoingPeer(socket);
        Task echoing = peer.RunAsync();
        await peer.SendAsync("ping");
        using var deadline = new CancellationTokenSource(Limit);
        while (peer.Bounces < 2000)
            await Task.Delay(10, deadline.Token);
        Assert.Empty(watcher.Loops);
        Assert.True((await watcher.Connected.Task).Echo);
        socket.Shutdown(SocketShutdown.Both);
        await echoing.WaitAsync(Limit);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task A_peer_repeating_itself_on_its_own_gets_every_echo(ServerEngine engine)
    {
        // bench/soak_hostile.py's dribbler sends "." every 100 ms; a sensor repeats its reading. Faster here.
        var watcher = new LoopWatcher();
        await using var server = new LoopbackServer(observer: watcher, engine: engine);
        using Socket socket = await server.ConnectAsync();
        const int count = 120;
        var sender = new Thread(() =>
        {
            for (int i = 0; i < count; i++)
            {
                socket.Send("."u8);
                Thread.Sleep(15);
            }
        }) { IsBackground = true };
        sender.Start();
        byte[] got = await RawPeer.ReadExactlyAsync(socket, count);
        Assert.All(got, b => Assert.Equal((byte)'.', b));
        Assert.Empty(watcher.Loops);
        Assert.True((await watcher.Connected.Task).Echo);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Zeros_streamed_in_equal_small_pieces_come_back_byte_exact(ServerEngine engine)
    {
        var watcher = new LoopWatcher();
        await using var server = new LoopbackServer(observer: watcher, engine: engine);
        using Socket socket = await server.ConnectAsync();
        const int piece = 1000, pieces = 2000;
        Task sending = Task.Run(async () =>
        {
            byte[] zeros = new byte[piece];
            for (int i = 0; i < pieces; i++)
            {
                await socket.SendAsync(zeros, SocketFlags.None);
                if (i % 50 == 0)
                    await Task.Delay(1); // Lets the server read pieces one by one now and then.
            }
        });
        byte[] got = await RawPeer.ReadExactlyAsync(socket, piece * pieces);
        await sending;
        Assert.All(got, b => Assert.Equal(0, b));
        Assert.Empty(watcher.Loops);
    }

    [Fact]
    public async Task A_client_connection_breaks_the_loop_with_an_echoing_server()
    {
        // The other way round: our TcpConnection is the client, the server is the board's tcpServer (it echoes).
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Task<Socket> accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        using Socket board = await accepting;
        var boardServer = new EchoingPeer(board);
        Task echoing = boardServer.RunAsync();

        var watcher = new LoopWatcher();
        await using var connection = new TcpConnection(1, client, new TcpConnectionOptions(), watcher);
        Task run = connection.RunAsync();
        await connection.SendAsync(Encoding.UTF8.GetBytes("hello mPython,I am TCP Client"));
        EchoLoopInfo loop = await watcher.NextLoopAsync();
        Assert.Equal(29, loop.PayloadLength);
        Assert.False(connection.Echo);
        await boardServer.SettledAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(boardServer.BytesSent, connection.BytesIn);
        connection.Close();
        await run.WaitAsync(Limit);
    }
}
