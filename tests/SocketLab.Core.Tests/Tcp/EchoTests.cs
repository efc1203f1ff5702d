using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Tcp;

public class EchoTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true, ServerEngine.Epoll)]
    [InlineData(true, ServerEngine.Uring)]
    [InlineData(true, ServerEngine.UringSingleReceives)]
    [InlineData(false, ServerEngine.Epoll)]
    [InlineData(false, ServerEngine.Uring)]
    [InlineData(false, ServerEngine.UringSingleReceives)]
    [InlineData(true, ServerEngine.Async)]
    [InlineData(true, ServerEngine.Portable)]
    [InlineData(false, ServerEngine.Async)]
    [InlineData(false, ServerEngine.Portable)]
    public async Task Echo_is_byte_exact_for_many_clients_under_random_chunking(bool waitForData, ServerEngine engine)
    {
        await using var server = new LoopbackServer(new TcpConnectionOptions { WaitForDataBeforeAllocatingBuffer = waitForData, ReceiveBufferSize = 4096 }, engine: engine);
        var clients = Enumerable.Range(0, 24).Select(i => RoundTripAsync(server, seed: i, length: 20_000 + i * 37_013));
        await Task.WhenAll(clients).WaitAsync(Limit);
    }

    private static async Task RoundTripAsync(LoopbackServer server, int seed, int length)
    {
        var random = new Random(seed);
        byte[] payload = new byte[length];
        random.NextBytes(payload); // Every byte value, invalid UTF-8 included.
        using Socket socket = await server.ConnectAsync();

        Task writer = Task.Run(async () =>
        {
            int sent = 0;
            while (sent < payload.Length)
            {
                int chunk = Math.Min(random.Next(1, 9000), payload.Length - sent);
                sent += await socket.SendAsync(payload.AsMemory(sent, chunk), SocketFlags.None);
                if (random.Next(8) == 0)
                    await Task.Delay(1);
            }
        });

        byte[] received = new byte[payload.Length];
        int got = 0;
        var readRandom = new Random(seed + 1000);
        while (got < received.Length)
        {
            int want = Math.Min(readRandom.Next(1, 5000), received.Length - got);
            int n = await socket.ReceiveAsync(received.AsMemory(got, want), SocketFlags.None);
            Assert.NotEqual(0, n);
            got += n;
        }
        await writer;
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
        Assert.True(payload.AsSpan().SequenceEqual(received));
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Half_close_gets_every_byte_back_then_end_of_stream(ServerEngine engine)
    {
        await using var server = new LoopbackServer(engine: engine);
        using Socket socket = await server.ConnectAsync();
        byte[] payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        await socket.SendAsync(payload, SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);

        using var ms = new MemoryStream();
        byte[] buffer = new byte[65536];
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit);
            if (n == 0)
                break;
            ms.Write(buffer, 0, n);
        }
        Assert.True(payload.AsSpan().SequenceEqual(ms.ToArray()));
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task No_echo_server_sends_nothing_back_but_still_reads(ServerEngine engine)
    {
        var seen = new RecordingObserver();
        await using var server = new LoopbackServer(new TcpConnectionOptions { Echo = false }, observer: seen, engine: engine);
        using Socket socket = await server.ConnectAsync();
        await socket.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
        byte[] buffer = new byte[16];
        Assert.Equal(0, await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit));
        await seen.Closed.Task.WaitAsync(Limit);
        Assert.Equal("hello", seen.ReceivedText);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Server_sends_to_one_client_or_to_all(ServerEngine engine)
    {
        var seen = new RecordingObserver();
        await using var server = new LoopbackServer(new TcpConnectionOptions { Echo = false }, observer: seen, engine: engine);
        using Socket a = await server.ConnectAsync();
        using Socket b = await server.ConnectAsync();
        await WaitUntil(() => server.Server.Connections.Count == 2);

        Assert.Equal((2, 0), server.Server.Broadcast("all"u8.ToArray()));
        Assert.Equal("all", await ReadExactly(a, 3));
        Assert.Equal("all", await ReadExactly(b, 3));

        TcpConnection first = server.Server.Connections.OrderBy(c => c.Id).First();
        await first.SendAsync("one"u8.ToArray());
        Assert.Equal("one", await ReadExactly(a, 3));
        Assert.Equal(2, server.Server.Connections.Count);
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Clients_over_the_limit_are_closed_at_once_and_the_others_keep_working(ServerEngine engine)
    {
        var seen = new RecordingObserver();
        await using var server = new LoopbackServer(maxClients: 2, observer: seen, engine: engine);
        using Socket a = await server.ConnectAsync();
        using Socket b = await server.ConnectAsync();
        await WaitUntil(() => server.Server.Connections.Count == 2);
        // The third is accepted and reset at once: the reset may even beat the connect's completion.
        try
        {
            using Socket c = await server.ConnectAsync();
            byte[] buffer = new byte[8];
            var ex = await Assert.ThrowsAsync<SocketException>(() => c.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit));
            Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        await WaitUntil(() => server.Server.TotalRejected == 1);
        await WaitUntil(() => seen.Rejected.Why is not null);
        Assert.Equal(new Rejection(RejectionKind.TooManyClients, 2), seen.Rejected.Why);
        Assert.Equal("2 clients are connected already", seen.Rejected.Detail); // Core names no CLI flag; the CLI adds --max-clients.

        await a.SendAsync("ok"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ok", await ReadExactly(a, 2));
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Stop_closes_every_connection_and_counts_bytes(ServerEngine engine)
    {
        var server = new LoopbackServer(engine: engine);
        using Socket a = await server.ConnectAsync();
        await a.SendAsync("12345"u8.ToArray(), SocketFlags.None);
        Assert.Equal("12345", await ReadExactly(a, 5));
        await server.Server.StopAsync(TimeSpan.FromSeconds(5));

        byte[] buffer = new byte[8];
        Assert.Equal(0, await a.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit));
        Assert.Equal(1, server.Server.TotalAccepted);
        Assert.Equal(5, server.Server.TotalBytesIn);
        Assert.Equal(5, server.Server.TotalBytesOut);
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Connections_arriving_in_bursts_are_all_served(ServerEngine engine)
    {
        // Each accept hands the connection to a loop from another thread, racing the loop as it takes earlier
        // ones. The newest connection of a quiet burst is the one a lost wake-up would strand: nothing else
        // would wake its loop. So each round only it sends.
        await using var server = new LoopbackServer(engine: engine);
        for (int round = 0; round < 30; round++)
        {
            Socket[] burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => server.ConnectAsync()));
            try
            {
                await WaitUntil(() => server.Server.Connections.Count == burst.Length);
                TcpConnection newest = server.Server.Connections.MaxBy(c => c.Id)!;
                Socket client = burst.Single(s => ((System.Net.IPEndPoint)s.LocalEndPoint!).Port == newest.RemoteEndPoint.Port);
                await client.SendAsync(new[] { (byte)round }, SocketFlags.None);
                byte[] back = new byte[1];
                Assert.Equal(1, await client.ReceiveAsync(back.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
                Assert.Equal((byte)round, back[0]);
            }
            finally
            {
                foreach (Socket s in burst)
                    s.Dispose();
            }
            await WaitUntil(() => server.Server.Connections.Count == 0);
        }
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task Echoes_wait_behind_a_send_in_progress_and_never_split_it(ServerEngine engine)
    {
        await using var server = new LoopbackServer(engine: engine);
        using Socket client = await server.ConnectAsync();
        await WaitUntil(() => server.Server.Connections.Count == 1);
        TcpConnection connection = server.Server.Connections.Single();

        // 16 MiB of 0xFF from the server (more than both socket buffers hold, so with the client not reading at
        // first the send is still in progress) while the client sends 1 MiB that never contains 0xFF: the
        // echoes must queue behind that send, not split it, and come back whole and in order.
        byte[] block = new byte[16 * 1024 * 1024];
        Array.Fill(block, (byte)0xFF);
        byte[] payload = new byte[1024 * 1024];
        for (int i = 0; i < payload.Length; i++)
            payload[i] = (byte)(i * 7 % 255);
        Task sending = connection.SendAsync(block).AsTask();
        Task writing = Task.Run(async () =>
        {
            for (int sent = 0; sent < payload.Length;)
                sent += await client.SendAsync(payload.AsMemory(sent, Math.Min(1000, payload.Length - sent)), SocketFlags.None);
        });
        await Task.Delay(200);

        byte[] received = new byte[block.Length + payload.Length];
        for (int got = 0; got < received.Length;)
        {
            int n = await client.ReceiveAsync(received.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(Limit);
            Assert.NotEqual(0, n);
            got += n;
        }
        await Task.WhenAll(sending, writing).WaitAsync(Limit);

        int first = Array.IndexOf(received, (byte)0xFF);
        Assert.True(first >= 0);
        Assert.True(received.AsSpan(first, block.Length).IndexOfAnyExcept((byte)0xFF) < 0, "the send was split by an echo");
        byte[] echoed = [.. received.AsSpan(0, first), .. received.AsSpan(first + block.Length)];
        Assert.True(payload.AsSpan().SequenceEqual(echoed), "echoed bytes differ from what was sent");
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    [InlineData(ServerEngine.Async)]
    [InlineData(ServerEngine.Portable)]
    public async Task An_observer_that_throws_ends_only_its_own_connection(ServerEngine engine)
    {
        var observer = new ThrowingObserver();
        await using var server = new LoopbackServer(observer: observer, engine: engine);
        using Socket good = await server.ConnectAsync();
        using Socket bad = await server.ConnectAsync();
        await good.SendAsync("fine"u8.ToArray(), SocketFlags.None);
        Assert.Equal("fine", await ReadExactly(good, 4));

        await bad.SendAsync("boom"u8.ToArray(), SocketFlags.None);
        await RawPeer.ReadToEndAsync(bad).WaitAsync(Limit); // Closed (FIN or reset), not left hanging.
        await WaitUntil(() => server.Server.Connections.Count == 1);

        await good.SendAsync("still"u8.ToArray(), SocketFlags.None);
        Assert.Equal("still", await ReadExactly(good, 5));
        using Socket later = await server.ConnectAsync();
        await later.SendAsync("new"u8.ToArray(), SocketFlags.None);
        Assert.Equal("new", await ReadExactly(later, 3));
    }

    [Theory]
    [InlineData(ServerEngine.Epoll)]
    [InlineData(ServerEngine.Uring)]
    [InlineData(ServerEngine.UringSingleReceives)]
    public async Task A_connection_ended_by_its_observer_closes_with_FIN_not_RST(ServerEngine engine)
    {
        // The uring engine's receive stays armed between messages; the socket must not be disposed while the ring
        // still references it, or .NET disconnects it (an RST that destroys what the peer has not read).
        await using var server = new LoopbackServer(observer: new ThrowingObserver(), engine: engine);
        var peers = new List<Socket>();
        for (int i = 0; i < 200; i++)
            peers.Add(await server.ConnectAsync());
        foreach (Socket peer in peers)
            await peer.SendAsync("boom"u8.ToArray(), SocketFlags.None);
        foreach (Socket peer in peers)
        {
            Assert.Empty(await RawPeer.ReadToEndAsync(peer).WaitAsync(Limit)); // A reset throws here.
            peer.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_uring_engine_falls_back_to_single_receives_where_the_kernel_refuses_the_cap(bool refused)
    {
        // A kernel before 6.17 refuses the multishot receive's byte cap with EINVAL; here the kernel is made to refuse
        // the first receives the same way. Every loop must fall back, and nothing sent before or after may be lost.
        await using var server = new TcpServer(
            new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, Engine = SocketEngine.Uring, UringCapRefused = refused },
            new RecordingObserver());
        server.Start();
        var clients = new List<Socket>();
        var random = new Random(17);
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await s.ConnectAsync(server.LocalEndPoint);
                clients.Add(s);
            }
            foreach (Socket client in clients)
            {
                for (int round = 0; round < 5; round++)
                {
                    byte[] payload = new byte[random.Next(1, 40_000)];
                    random.NextBytes(payload);
                    Task<int> sending = client.SendAsync(payload, SocketFlags.None);
                    byte[] echoed = await RawPeer.ReadExactlyAsync(client, payload.Length).WaitAsync(Limit);
                    await sending;
                    Assert.True(payload.AsSpan().SequenceEqual(echoed), "echoed bytes differ from what was sent");
                }
            }
            Assert.Equal(refused ? 0 : Math.Clamp(Environment.ProcessorCount, 1, 64), server.UringMultishotLoops);
        }
        finally
        {
            foreach (Socket client in clients)
                client.Dispose();
        }
    }

    internal static async Task<string> ReadExactly(Socket s, int count)
    {
        byte[] buffer = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None).AsTask().WaitAsync(Limit);
            Assert.NotEqual(0, n);
            got += n;
        }
        return System.Text.Encoding.UTF8.GetString(buffer);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    private sealed class ThrowingObserver : IConnectionObserver
    {
        public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data)
        {
            if (data.SequenceEqual("boom"u8))
                throw new InvalidOperationException("observer failed");
        }
    }

    private sealed class RecordingObserver : IConnectionObserver
    {
        private readonly MemoryStream _received = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string ReceivedText { get { lock (_received) return System.Text.Encoding.UTF8.GetString(_received.ToArray()); } }
        public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) { lock (_received) _received.Write(data); }
        public (Rejection? Why, string? Detail) Rejected { get; private set; }

        public void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
        {
            if (reason == CloseReason.Rejected)
                Rejected = (connection.Rejection, detail);
            Closed.TrySetResult();
        }
    }
}
