using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>Runs alone: it counts the process's threads, which other tests' servers would change meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountingCollection
{
    public const string Name = "counts threads";
}

[Collection(ThreadCountingCollection.Name)]
public sealed class EngineOwnershipTests
{
    /// <summary>The epoll loops' threads, by the name the kernel keeps for them (15 characters of "socketlab-epoll-N").</summary>
    private static int EpollThreads() => Threads("socketlab-epoll");

    private static int Threads(string prefix) =>
        Directory.GetDirectories("/proc/self/task").Count(task =>
        {
            try { return File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal); }
            catch (IOException) { return false; } // The thread ended while we looked.
        });

    /// <summary>
    /// Threads named <paramref name="prefix"/> once the count reaches <paramref name="expected"/> (or 5 s pass): a
    /// thread joined by managed code has finished, but the kernel drops its task entry a moment later.
    /// </summary>
    private static async Task<int> ThreadsSettledAt(string prefix, int expected)
    {
        int now = Threads(prefix);
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(5); now != expected && DateTime.UtcNow < deadline; now = Threads(prefix))
            await Task.Delay(10);
        return now;
    }

    private static async Task EchoOnceAsync(IPEndPoint endpoint)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(endpoint);
        await s.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ping", await EchoTests.ReadExactly(s, 4));
    }

    [Fact]
    public async Task A_server_ends_its_epoll_threads_when_disposed()
    {
        int before = EpollThreads();
        var server = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, Engine = SocketEngine.Epoll }, new NoObserver());
        server.Start();
        await EchoOnceAsync(server.LocalEndPoint);
        Assert.Equal(before + Environment.ProcessorCount, EpollThreads());

        await server.DisposeAsync();
        Assert.Equal(before, await ThreadsSettledAt("socketlab-epoll", before));
    }

    [Fact]
    public async Task A_server_ends_its_uring_threads_and_rings_when_disposed()
    {
        int before = Threads("socketlab-uring");
        var server = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, Engine = SocketEngine.Uring }, new NoObserver());
        server.Start();
        await EchoOnceAsync(server.LocalEndPoint);
        Assert.Equal(before + Environment.ProcessorCount, Threads("socketlab-uring"));

        await server.DisposeAsync();
        Assert.Equal(before, await ThreadsSettledAt("socketlab-uring", before));
        Assert.DoesNotContain(Directory.GetFiles("/proc/self/fd"), fd => new FileInfo(fd).LinkTarget == "anon_inode:[io_uring]");
    }

    [Fact]
    public async Task Servers_can_share_a_loop_group_that_their_owner_ends()
    {
        int before = EpollThreads();
        using (var group = new EpollLoopGroup(loops: 1, busyPoll: TimeSpan.Zero))
        {
            Assert.Equal(before + 1, EpollThreads());
            await using (var a = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, LoopGroup = group }, new NoObserver()))
            await using (var b = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, LoopGroup = group }, new NoObserver()))
            {
                a.Start();
                b.Start();
                await EchoOnceAsync(a.LocalEndPoint);
                await EchoOnceAsync(b.LocalEndPoint);
                Assert.Equal(before + 1, EpollThreads());
            }
            // The servers are gone; the group is not theirs to end.
            Assert.Equal(before + 1, EpollThreads());
        }
        Assert.Equal(before, await ThreadsSettledAt("socketlab-epoll", before));
    }

    [Fact]
    public async Task A_loop_group_disposed_under_a_connection_resets_and_reports_it()
    {
        var closed = new TaskCompletionSource<CloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        var group = new EpollLoopGroup(loops: 1);
        await using var server = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, LoopGroup = group }, new ClosedObserver(closed));
        server.Start();
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(server.LocalEndPoint);
        await s.SendAsync("x"u8.ToArray(), SocketFlags.None);
        Assert.Equal("x", await EchoTests.ReadExactly(s, 1));

        group.Dispose();
        Assert.Equal(CloseReason.LocalClosed, await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); server.Connections.Count > 0; await Task.Delay(10))
            Assert.True(DateTime.UtcNow < deadline, "the server still lists the connection");
    }

    [Fact]
    public async Task Portable_sockets_run_the_non_Linux_path()
    {
        await using var server = new LoopbackServer(engine: ServerEngine.Portable);
        using Socket client = await server.ConnectAsync();
        await client.SendAsync("hi"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hi", await EchoTests.ReadExactly(client, 2));
        TcpConnection c = Assert.Single(server.Server.Connections);
        Assert.Equal(SocketEngine.Async, server.Server.Engine);
        Assert.False(c.Io.Socket.Blocking); // Non-blocking mode, as on Windows and macOS: no MSG_DONTWAIT.
        Assert.Throws<NotSupportedException>(() => new TcpServer(new TcpServerOptions
        {
            Port = 0,
            Engine = SocketEngine.Epoll,
            Connection = new TcpConnectionOptions { PortableSockets = true },
        }, new NoObserver()).Start());
    }

    [Fact]
    public async Task A_connection_moves_through_its_states_and_reports_once()
    {
        var closed = new TaskCompletionSource<CloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new LoopbackServer(observer: new ClosedObserver(closed));
        using Socket client = await server.ConnectAsync();
        await client.SendAsync("a"u8.ToArray(), SocketFlags.None);
        Assert.Equal("a", await EchoTests.ReadExactly(client, 1));
        TcpConnection c = Assert.Single(server.Server.Connections);
        Assert.Equal(ConnectionState.Open, c.State);

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(CloseReason.RemoteClosed, await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ConnectionState.Closed, c.State);
        var ex = await Assert.ThrowsAsync<ConnectionClosedException>(() => c.SendAsync(new byte[1]).AsTask());
        Assert.Equal(CloseReason.RemoteClosed, ex.Reason);
        await Assert.ThrowsAsync<ConnectionClosedException>(c.ShutdownSendAsync);
    }

    private sealed class NoObserver : IConnectionObserver;

    private sealed class ClosedObserver(TaskCompletionSource<CloseReason> closed) : IConnectionObserver
    {
        public void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
        {
            if (!closed.TrySetResult(reason))
                throw new InvalidOperationException("reported twice");
        }
    }
}
