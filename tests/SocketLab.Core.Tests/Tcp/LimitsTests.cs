using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Tcp;

public class LimitsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Idle_connections_are_closed_and_busy_ones_are_not(ServerEngine engine)
    {
        var closed = new ClosedReasons();
        await using var server = new LoopbackServer(new TcpConnectionOptions { IdleTimeout = TimeSpan.FromSeconds(2) }, observer: closed, engine: engine);
        using Socket idle = await server.ConnectAsync();
        using Socket busy = await server.ConnectAsync();
        Task chatter = Task.Run(async () =>
        {
            // A different byte each time: the same one sent back and forth 20 times would be an echo loop to the guard.
            for (int i = 0; i < 40; i++)
            {
                await busy.SendAsync(new[] { (byte)('a' + i % 26) }, SocketFlags.None);
                await EchoTests.ReadExactly(busy, 1);
                await Task.Delay(100);
            }
        });
        Assert.Empty(await RawPeer.ReadToEndAsync(idle)); // FIN after 2-2.5 s of silence.
        await chatter; // 4 s of traffic, never 2 s apart: never timed out.
        await EchoTests.WaitUntil(() => closed.Reasons.Contains(CloseReason.IdleTimeout));
        Assert.Single(server.Server.Connections);
    }

    [Fact]
    public async Task Denied_peers_are_closed_at_once_and_allowed_ones_served()
    {
        var access = new AccessList();
        Assert.True(AccessList.TryParseEntry("127.0.0.2", out IPNetwork only));
        access.Allow(only);
        var server = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Any, Port = 0, Access = access }, new ClosedReasons());
        server.Start();
        await using var _ = server;
        int port = server.LocalEndPoint.Port;

        using var denied = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await denied.ConnectAsync(IPAddress.Loopback, port);
            await Assert.ThrowsAsync<SocketException>(() => denied.ReceiveAsync(new byte[4].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset) { }

        using var allowed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        allowed.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await allowed.ConnectAsync(IPAddress.Loopback, port);
        await allowed.SendAsync("ok"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ok", await EchoTests.ReadExactly(allowed, 2));
        Assert.Equal(1, server.TotalRejected);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task A_client_that_never_reads_cannot_grow_the_server_and_others_are_unaffected(ServerEngine engine)
    {
        await using var server = new LoopbackServer(engine: engine);
        using Socket hog = await server.ConnectAsync();
        hog.ReceiveBufferSize = 4096;
        // It sends and never reads: once the socket buffers are full its own send stalls. It goes on until
        // one send has waited a second (not for a fixed time: on a loaded machine a slow hog might not have
        // filled the buffers yet, and the posts below would then fit).
        long pushed = 0;
        Task hogging = Task.Run(async () =>
        {
            byte[] chunk = new byte[64 * 1024];
            for (DateTime deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline;)
            {
                using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try { pushed += await hog.SendAsync(chunk, SocketFlags.None, stalled.Token); }
                catch (OperationCanceledException) { return; }
            }
        });

        using Socket polite = await server.ConnectAsync();
        for (int i = 0; i < 50; i++)
        {
            string ping = $"pin{i % 10}"; // Not the same message each time: that would be an echo loop to the guard.
            await polite.SendAsync(System.Text.Encoding.ASCII.GetBytes(ping), SocketFlags.None);
            Assert.Equal(ping, await EchoTests.ReadExactly(polite, 4));
        }
        await hogging;
        Assert.InRange(pushed, 1, 64L * 1024 * 1024); // Stalled by TCP, far below 30 s of loopback speed.

        // Posted sends to it are refused past the bound instead of piling up. How many are taken first depends on
        // what the kernel still holds for it: its send buffer grows up to tcp_wmem's maximum (4 MiB here) when the
        // server drained the hog's last data before it stalled, which a loaded machine makes likely. Past that,
        // at most the bound (1 MiB) waits in memory, and then posts are refused.
        TcpConnection hogConnection = server.Server.Connections.OrderBy(c => c.Id).First();
        Assert.Equal(((System.Net.IPEndPoint)hog.LocalEndPoint!).Port, hogConnection.RemoteEndPoint.Port);
        int accepted = 0, refused = 0;
        for (int i = 0; i < 512 && refused < 8; i++)
        {
            if (hogConnection.Post(new byte[64 * 1024]))
                accepted++;
            else
                refused++;
        }
        Assert.True(accepted >= 1 && refused == 8, $"accepted {accepted}, refused {refused} of 512 × 64 KiB, pending {hogConnection.PendingSendBytes}");
        Assert.True(hogConnection.PendingSendBytes <= TcpConnectionOptions.DefaultMaxPendingSendBytes);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    public async Task Many_peers_that_send_without_reading_cannot_starve_a_polite_one(ServerEngine engine)
    {
        // The uring engine's receive buffers are one shared ring (4,096 per loop). A peer whose echo is stuck must hold
        // a few of them, not dozens: 300 such peers at dozens each would take them all, and every other connection's
        // receive would wait for a buffer that never comes back.
        await using var server = new LoopbackServer(engine: engine);
        var hogs = new List<Socket>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                Socket hog = await server.ConnectAsync();
                hog.ReceiveBufferSize = 4096;
                hogs.Add(hog);
            }
            // Each sends until one send has waited a second: its echo is stuck and the server has stopped reading it.
            await Task.WhenAll(hogs.Select(hog => Task.Run(async () =>
            {
                byte[] chunk = new byte[64 * 1024];
                for (DateTime deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline;)
                {
                    using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                    try { await hog.SendAsync(chunk, SocketFlags.None, stalled.Token); }
                    catch (OperationCanceledException) { return; }
                }
            }))).WaitAsync(TimeSpan.FromSeconds(90));
            // One each (its stuck echo), and one more for one whose receive caught a last burst before it stopped.
            int held = server.Server.UringBuffersHeld;
            Assert.True(held <= 2 * hogs.Count, $"{held} receive buffers held by {hogs.Count} peers");

            using Socket polite = await server.ConnectAsync();
            for (int i = 0; i < 20; i++)
            {
                string ping = $"pin{i % 10}";
                await polite.SendAsync(System.Text.Encoding.ASCII.GetBytes(ping), SocketFlags.None);
                Assert.Equal(ping, await EchoTests.ReadExactly(polite, 4).WaitAsync(TimeSpan.FromSeconds(10)));
            }
        }
        finally
        {
            foreach (Socket hog in hogs)
                hog.Dispose();
        }
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Abort_ends_a_send_stuck_on_a_peer_that_never_reads_at_once(ServerEngine engine)
    {
        await using var server = new LoopbackServer(engine: engine);
        using Socket deaf = await server.ConnectAsync();
        deaf.ReceiveBufferSize = 4096;
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(5); server.Server.Connections.Count == 0; await Task.Delay(10))
            Assert.True(DateTime.UtcNow < deadline);
        TcpConnection connection = server.Server.Connections.Single();

        // 64 MiB cannot fit in the socket buffers of a peer that does not read: the send waits.
        Task stuck = connection.SendAsync(new byte[64 * 1024 * 1024]).AsTask();
        // Stuck once the peer's receive queue is full: it holds bytes and stops growing.
        int queued = -1;
        await EchoTests.WaitUntil(() =>
        {
            int now = deaf.Available;
            bool full = now > 0 && now == queued;
            queued = now;
            if (!full)
                Thread.Sleep(50);
            return full;
        });
        Assert.False(stuck.IsCompleted);

        connection.Abort();
        Exception? ex = await Record.ExceptionAsync(() => stuck.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(CloseReason.LocalClosed, Assert.IsType<ConnectionClosedException>(ex).Reason);
        var after = await Assert.ThrowsAsync<ConnectionClosedException>(() => connection.SendAsync(new byte[1]).AsTask());
        Assert.Equal(CloseReason.LocalClosed, after.Reason);
        // The peer sees a reset, not an orderly end: what was unsent is dropped, as Abort says.
        byte[] sink = new byte[64 * 1024];
        SocketException reset = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            while (await deaf.ReceiveAsync(sink, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5)) > 0) { }
        });
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Stop_finishes_an_echo_in_flight_then_closes_with_fin(ServerEngine engine)
    {
        var server = new LoopbackServer(engine: engine);
        using Socket client = await server.ConnectAsync();
        byte[] payload = new byte[8 * 1024 * 1024];
        Random.Shared.NextBytes(payload);
        Task sending = client.SendAsync(payload, SocketFlags.None);
        // An echo is in flight once the server has read some of it.
        await EchoTests.WaitUntil(() => server.Server.Connections.Any(c => c.BytesIn > 0));
        Task stopping = server.Server.StopAsync(TimeSpan.FromSeconds(10));
        byte[] back = await RawPeer.ReadToEndAsync(client);
        await stopping;
        // Every byte the server read was echoed whole before FIN: what came back is a prefix of what was sent.
        Assert.True(back.Length > 0);
        Assert.True(payload.AsSpan(0, back.Length).SequenceEqual(back));
        try { await sending.WaitAsync(Limit); } catch (SocketException) { }
        await server.DisposeAsync();
    }

    private sealed class ClosedReasons : IConnectionObserver
    {
        public System.Collections.Concurrent.ConcurrentBag<CloseReason> Reasons { get; } = [];
        public void OnClosed(TcpConnection connection, CloseReason reason, string? detail) => Reasons.Add(reason);
    }
}
