using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Relay;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Relay;

/// <summary>RelayServer on loopback: every byte both ways, half-close and resets passed through, fault injection.</summary>
public sealed class RelayServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    /// <summary>Keeps what the relay reports; <paramref name="readsData"/> false lets the relay splice (zero-copy).</summary>
    private sealed class Events(bool readsData = true) : IRelayObserver
    {
        public readonly ConcurrentQueue<string> Log = new();
        public long ToDevice, ToClient, Dropped, DataEvents, CountedToDevice, CountedToClient;

        public bool ReadsData => readsData;
        public readonly TaskCompletionSource Closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnOpened(RelayConnection c) => Log.Enqueue($"open #{c.Id}");
        public void OnUpstreamFailed(RelayConnection c, string reason) => Log.Enqueue($"failed #{c.Id}: {reason}");
        public void OnData(RelayConnection c, RelayDirection d, ReadOnlySpan<byte> data, bool dropped)
        {
            Interlocked.Increment(ref DataEvents);
            Interlocked.Add(ref d == RelayDirection.ToDevice ? ref ToDevice : ref ToClient, data.Length);
            if (dropped)
                Interlocked.Add(ref Dropped, data.Length);
        }
        public void OnHalfClosed(RelayConnection c, RelayDirection d) => Log.Enqueue($"fin #{c.Id} {d}");
        public void OnReset(RelayConnection c, RelayDirection d) => Log.Enqueue($"reset #{c.Id} {d}");
        public void OnClosed(RelayConnection c)
        {
            Interlocked.Add(ref CountedToDevice, c.BytesToDevice);
            Interlocked.Add(ref CountedToClient, c.BytesToClient);
            Log.Enqueue($"closed #{c.Id}");
            Closed.TrySetResult();
        }
    }

    private static async Task<RelayServer> StartAsync(int devicePort, Events observer, TimeSpan delay = default, double drop = 0)
    {
        var relay = new RelayServer(new RelayOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            DeviceHost = "127.0.0.1",
            DevicePort = devicePort,
            Delay = delay,
            DropRate = drop,
            Seed = 7,
        }, observer);
        relay.Start();
        // The zero-copy path is taken exactly when nobody reads the bytes and nothing is injected (Linux here).
        Assert.Equal(!observer.ReadsData && delay == TimeSpan.Zero && drop == 0, relay.ZeroCopy);
        await Task.Yield();
        return relay;
    }

    /// <summary>One client: seed, then its payload, then FIN; reads the device's payload to the device's FIN.</summary>
    private static async Task RunClientAsync(int relayPort, long seed, int up, int down, SeededDevice device)
    {
        using Socket s = await RawPeer.ConnectAsync(relayPort);
        byte[] payload = SeededDevice.Payload(~seed, up);
        Task<byte[]> reading = RawPeer.ReadToEndAsync(s);
        await s.SendAsync(BitConverter.GetBytes(seed), SocketFlags.None);
        for (int sent = 0; sent < payload.Length;)
            sent += await s.SendAsync(payload.AsMemory(sent), SocketFlags.None);
        s.Shutdown(SocketShutdown.Send);
        byte[] got = await reading.WaitAsync(Wait);
        Assert.True(SeededDevice.Payload(seed, down).AsSpan().SequenceEqual(got), $"client {seed}: the device's {down} bytes came through changed ({got.Length} bytes)");
        var deadline = Stopwatch.StartNew();
        while (!device.Received.ContainsKey(seed) && deadline.Elapsed < Wait)
            await Task.Delay(10);
        Assert.True(payload.AsSpan().SequenceEqual(device.Received[seed]), $"client {seed}: its {up} bytes reached the device changed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_megabytes_of_random_bytes_each_way_pass_unchanged_with_half_close_in_both_directions(bool zeroCopy)
    {
        const int size = 10 * 1024 * 1024;
        await using var device = new SeededDevice(_ => size);
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(device.Port, events);

        await RunClientAsync(relay.LocalEndPoint.Port, 42, size, size, device);

        await events.Closed.Task.WaitAsync(Wait);
        Assert.Equal(size + 8, events.CountedToDevice);
        Assert.Equal(size, events.CountedToClient);
        Assert.Equal(zeroCopy ? 0 : size + 8, events.ToDevice); // Spliced bytes never enter the process.
        Assert.Equal(zeroCopy ? 0 : size, events.ToClient);
        Assert.Contains("fin #1 ToDevice", events.Log);
        Assert.Contains("fin #1 ToClient", events.Log);
        Assert.DoesNotContain(events.Log, l => l.StartsWith("reset", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fifty_concurrent_clients_each_get_their_own_device_connection_and_every_byte(bool zeroCopy)
    {
        await using var device = new SeededDevice(seed => 1000 + (int)(seed * 7919 % 300_000));
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(device.Port, events);
        int port = relay.LocalEndPoint.Port;

        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() =>
            RunClientAsync(port, i, 500 + i * 4001 % 250_000, 1000 + (int)(i * 7919L % 300_000), device))));

        Assert.Equal(50, relay.Accepted);
        Assert.Equal(50, device.Received.Count);
        if (zeroCopy)
            Assert.Equal(0, events.DataEvents);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reset_from_the_client_reaches_the_device_as_a_reset(bool zeroCopy)
    {
        using Socket listener = RawPeer.Listen();
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(RawPeer.PortOf(listener), events);
        Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
        using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        await client.SendAsync("abc"u8.ToArray(), SocketFlags.None);
        Assert.Equal("abc"u8.ToArray(), await RawPeer.ReadExactlyAsync(device, 3));

        client.LingerState = new LingerOption(true, 0);
        client.Close();

        SocketException ex = await Assert.ThrowsAsync<SocketException>(() => RawPeer.ReadToEndAsync(device));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        await events.Closed.Task.WaitAsync(Wait);
        Assert.Contains("reset #1 ToDevice", events.Log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reset_from_the_device_reaches_the_client_as_a_reset(bool zeroCopy)
    {
        using Socket listener = RawPeer.Listen();
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(RawPeer.PortOf(listener), events);
        using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
        Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        await device.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 5));

        device.LingerState = new LingerOption(true, 0);
        device.Close();

        SocketException ex = await Assert.ThrowsAsync<SocketException>(() => RawPeer.ReadToEndAsync(client));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        await events.Closed.Task.WaitAsync(Wait);
        Assert.Contains("reset #1 ToClient", events.Log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_device_that_refuses_resets_the_client_and_says_why(bool zeroCopy)
    {
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(RawPeer.FreePort(), events);
        // The reset can beat the end of our own connect: either way the client sees a reset.
        SocketException ex = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
            await RawPeer.ReadToEndAsync(client);
        });
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        for (DateTime deadline = DateTime.UtcNow + Wait; !events.Log.Any(l => l.StartsWith("failed #1: ", StringComparison.Ordinal)); await Task.Delay(10))
            Assert.True(DateTime.UtcNow < deadline, "the relay never said why");
        Assert.Contains(events.Log, l => l.StartsWith("failed #1: cannot connect to 127.0.0.1:", StringComparison.Ordinal) && l.Contains("connection refused"));
    }

    [Fact]
    public async Task Drop_keeps_chunks_back_and_delay_holds_them()
    {
        using Socket listener = RawPeer.Listen();
        var dropping = new Events();
        await using (RelayServer relay = await StartAsync(RawPeer.PortOf(listener), dropping, drop: 1.0))
        {
            using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
            using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
            await client.SendAsync("lost"u8.ToArray(), SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
            Assert.Empty(await RawPeer.ReadToEndAsync(device)); // The FIN passes; the bytes do not.
            Assert.Equal(4, dropping.Dropped);
        }

        var delayed = new Events();
        await using (RelayServer relay = await StartAsync(RawPeer.PortOf(listener), delayed, delay: TimeSpan.FromMilliseconds(300)))
        {
            using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
            using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
            var clock = Stopwatch.StartNew();
            await client.SendAsync("late"u8.ToArray(), SocketFlags.None);
            Assert.Equal("late"u8.ToArray(), await RawPeer.ReadExactlyAsync(device, 4));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"arrived after {clock.Elapsed.TotalMilliseconds} ms");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_that_reads_late_still_gets_every_byte_in_order(bool zeroCopy)
    {
        // 48 MiB is more than the loopback buffers (autotuned to a few MiB each) and the relay's pipe hold: the
        // relay must wait for room, then go on.
        const int size = 48 * 1024 * 1024;
        using Socket listener = RawPeer.Listen();
        var events = new Events(readsData: !zeroCopy);
        await using RelayServer relay = await StartAsync(RawPeer.PortOf(listener), events);
        using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
        using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        byte[] payload = SeededDevice.Payload(5, size);
        Task sending = Task.Run(async () =>
        {
            for (int sent = 0; sent < payload.Length;)
                sent += await device.SendAsync(payload.AsMemory(sent), SocketFlags.None);
            device.Shutdown(SocketShutdown.Send);
        });
        await Task.Delay(500);
        Assert.False(sending.IsCompleted, "the buffers took 48 MiB at once: this test no longer makes the relay wait");

        byte[] got = await RawPeer.ReadToEndAsync(client).WaitAsync(Wait);
        await sending.WaitAsync(Wait);
        Assert.True(payload.AsSpan().SequenceEqual(got), $"{got.Length} bytes came through, changed or cut");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stopping_the_relay_closes_its_connections_and_reports_each_closed(bool zeroCopy)
    {
        using Socket listener = RawPeer.Listen();
        var events = new Events(readsData: !zeroCopy);
        RelayServer relay = await StartAsync(RawPeer.PortOf(listener), events);
        using Socket client = await RawPeer.ConnectAsync(relay.LocalEndPoint.Port);
        using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        Assert.Equal("ping"u8.ToArray(), await RawPeer.ReadExactlyAsync(device, 4));

        await relay.DisposeAsync().AsTask().WaitAsync(Wait);

        Assert.Contains("closed #1", events.Log);
        Assert.Equal(4, events.CountedToDevice);
        try
        {
            Assert.Empty(await RawPeer.ReadToEndAsync(client).WaitAsync(Wait)); // Closed, not left hanging…
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // …or cut: the copying pumps' sockets close under a pending read, which the kernel ends with a reset.
        }
    }
}
