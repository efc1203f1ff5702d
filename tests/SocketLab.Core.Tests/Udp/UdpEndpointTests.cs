using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Udp;

namespace SocketLab.Core.Tests.Udp;

public sealed class UdpEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Collects datagrams as they arrive.</summary>
    private sealed class Inbox : IUdpObserver
    {
        public BlockingCollection<(UdpPeer Peer, byte[] Data)> Received { get; } = [];
        public ConcurrentQueue<(byte[] Data, bool Echo)> Sent { get; } = new();

        public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) => Received.Add((peer, data.ToArray()));
        public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo) => Sent.Enqueue((data.ToArray(), echo));

        public (UdpPeer Peer, byte[] Data) Next()
        {
            Assert.True(Received.TryTake(out var item, Wait), "no datagram arrived");
            return item;
        }
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket)
    {
        byte[] buffer = new byte[UdpEndpoint.MaxDatagram];
        using var cts = new CancellationTokenSource(Wait);
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..n];
    }

    private static List<Socket> LoopbackSockets(int count) => Enumerable.Range(0, count).Select(_ =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }).ToList();

    [Fact]
    public async Task Echoes_each_datagram_byte_exact_to_each_of_many_peers()
    {
        var inbox = new Inbox();
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, Echo = true }, inbox);
        endpoint.Start();
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port);

        List<Socket> clients = LoopbackSockets(5);
        try
        {
            for (int i = 0; i < clients.Count; i++)
            {
                byte[] payload = [.. Encoding.UTF8.GetBytes($"peer {i} 你好"), 0x00, 0xff, 0x0d, 0x0a];
                await clients[i].SendToAsync(payload, target);
                Assert.Equal(payload, await ReceiveAsync(clients[i]));
                (UdpPeer peer, byte[] data) = inbox.Next();
                Assert.Equal(payload, data);
                Assert.Equal(((IPEndPoint)clients[i].LocalEndPoint!).Port, peer.EndPoint.Port);
                Assert.Equal(IPAddress.Loopback, peer.EndPoint.Address); // Shown as plain IPv4 although the socket is dual-mode.
            }
            Assert.Equal(5, endpoint.Peers.Count);
            Assert.Equal(((IPEndPoint)clients[^1].LocalEndPoint!).Port, endpoint.LastPeer!.EndPoint.Port);
            Assert.All(inbox.Sent, s => Assert.True(s.Echo));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_full_peer_table_forgets_the_least_recently_heard_and_totals_count_everything()
    {
        var inbox = new Inbox();
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback, Echo = true, MaxPeers = 3 }, inbox);
        endpoint.Start();
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port);
        List<Socket> peers = LoopbackSockets(4);
        try
        {
            async Task Ping(int i)
            {
                await peers[i].SendToAsync("x"u8.ToArray(), target);
                Assert.Equal("x"u8.ToArray(), await ReceiveAsync(peers[i]));
            }
            await Ping(0);
            await Ping(1);
            await Ping(2);
            await Ping(0); // 0 is now more recent than 1 and 2.
            await Ping(3); // Full: 1, the least recently heard, goes.
            int[] known = endpoint.Peers.Select(p => p.EndPoint.Port).Order().ToArray();
            Assert.Equal(new[] { 0, 2, 3 }.Select(i => ((IPEndPoint)peers[i].LocalEndPoint!).Port).Order().ToArray(), known);
            Assert.Equal((4, 1, 5, 5), (endpoint.TotalPeers, endpoint.ForgottenPeers, endpoint.TotalDatagramsIn, endpoint.TotalDatagramsOut));
        }
        finally
        {
            peers.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task An_observer_reporting_the_last_datagram_while_the_endpoint_stops_still_sees_its_address()
    {
        // As in "udp send --wait-reply --record": the reply wakes the sender, which stops the endpoint while the
        // transcript observer is still reporting that reply (and asks for the local address).
        var observer = new StopsMidReport();
        var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback }, observer);
        endpoint.Start();
        IPEndPoint local = endpoint.LocalEndPoint;
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await peer.SendToAsync("a"u8.ToArray(), SocketFlags.None, local);

        Assert.True(observer.Reporting.Wait(Wait), "no datagram arrived");
        Task stopping = endpoint.StopAsync(); // Closes the socket at once, then waits for the receive loop.
        observer.Stopped.Set();
        await stopping.WaitAsync(Wait);
        Assert.Equal(local, observer.SeenLocal);
        await endpoint.DisposeAsync();
    }

    private sealed class StopsMidReport : IUdpObserver
    {
        public ManualResetEventSlim Reporting { get; } = new();
        public ManualResetEventSlim Stopped { get; } = new();
        public IPEndPoint? SeenLocal { get; private set; }

        public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data)
        {
            Reporting.Set();
            Stopped.Wait(Wait);
            SeenLocal = endpoint.LocalEndPoint;
        }
    }

    [Fact]
    public async Task A_large_datagram_arrives_whole()
    {
        var inbox = new Inbox();
        await using var listener = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback }, inbox);
        listener.Start();
        await using var sender = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback }, new Inbox());
        sender.Start();
        byte[] big = new byte[60_000];
        Random.Shared.NextBytes(big);
        await sender.SendAsync(listener.LocalEndPoint, big);
        Assert.Equal(big, inbox.Next().Data);
    }

    [Fact]
    public async Task Sends_and_receives_over_IPv6_loopback()
    {
        var inbox = new Inbox();
        await using var listener = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.IPv6Loopback }, inbox);
        listener.Start();
        var replies = new Inbox();
        await using var sender = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.IPv6Loopback }, replies);
        sender.Start();
        await sender.SendAsync(new IPEndPoint(IPAddress.IPv6Loopback, listener.LocalEndPoint.Port), "v6"u8.ToArray());
        (UdpPeer peer, byte[] data) = inbox.Next();
        Assert.Equal("v6"u8.ToArray(), data);
        Assert.Equal("[::1]:" + sender.LocalEndPoint.Port, EndpointText.HostPort(peer.EndPoint));

        await listener.SendAsync(peer.EndPoint, "back"u8.ToArray());
        Assert.Equal("back"u8.ToArray(), replies.Next().Data);
    }

    [Fact]
    public async Task Broadcast_needs_the_option_and_then_reaches_a_listener()
    {
        var inbox = new Inbox();
        await using var listener = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Any }, inbox);
        listener.Start();
        var loopbackBroadcast = new IPEndPoint(IPAddress.Parse("127.255.255.255"), listener.LocalEndPoint.Port);

        await using (var plain = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Any }, new Inbox()))
        {
            plain.Start();
            var ex = await Assert.ThrowsAsync<NetworkException>(async () => await plain.SendAsync(loopbackBroadcast, "x"u8.ToArray()));
            Assert.Equal(NetworkErrorKind.BroadcastNotAllowed, ex.Kind);
            Assert.Equal(NetworkOperation.Send, ex.Operation);
            Assert.Equal($"127.255.255.255:{listener.LocalEndPoint.Port}", ex.Address);
            Assert.DoesNotContain("--", ex.Message);
        }
        await using var sender = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Any, Broadcast = true }, new Inbox());
        sender.Start();
        await sender.SendAsync(loopbackBroadcast, "all"u8.ToArray());
        Assert.Equal("all"u8.ToArray(), inbox.Next().Data);
    }

    [Fact]
    public async Task Joining_a_multicast_group_receives_what_is_sent_to_it()
    {
        var group = IPAddress.Parse("239.255.42.99");
        var inbox = new Inbox();
        await using var listener = new UdpEndpoint(new UdpEndpointOptions
        {
            Port = 0, BindAddress = IPAddress.Any, MulticastGroups = [group], MulticastInterface = IPAddress.Loopback,
        }, inbox);
        listener.Start();
        await using var sender = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Any, MulticastInterface = IPAddress.Loopback }, new Inbox());
        sender.Start();
        await sender.SendAsync(new IPEndPoint(group, listener.LocalEndPoint.Port), "group"u8.ToArray());
        Assert.Equal("group"u8.ToArray(), inbox.Next().Data);
    }

    [Fact]
    public async Task Binding_a_port_in_use_is_a_clear_network_error()
    {
        await using var first = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback }, new Inbox());
        first.Start();
        await using var second = new UdpEndpoint(new UdpEndpointOptions { Port = first.LocalEndPoint.Port, BindAddress = IPAddress.Loopback }, new Inbox());
        var ex = Assert.Throws<NetworkException>(second.Start);
        Assert.Equal(NetworkErrorKind.AddressInUse, ex.Kind);
        // The fields a front end words it from, as Go's OpError has them; the message names no CLI option.
        Assert.Equal(NetworkOperation.Bind, ex.Operation);
        Assert.Equal($"127.0.0.1:{first.LocalEndPoint.Port}", ex.Address);
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
        Assert.Equal(98, ex.Errno); // EADDRINUSE on Linux.
        Assert.Equal($"cannot bind UDP 127.0.0.1:{first.LocalEndPoint.Port}: address already in use", ex.Message);
    }

    /// <summary>Logs the order in which sends and receipts are reported.</summary>
    private sealed class OrderLog : IUdpObserver
    {
        public List<string> Events { get; } = [];
        public SemaphoreSlim Received { get; } = new(0);

        public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data)
        {
            lock (Events) Events.Add("in");
            Received.Release();
        }

        public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo)
        {
            Thread.Sleep(10); // A slow observer (console, disk): the echo is back before the send is reported.
            lock (Events) Events.Add("out");
        }
    }

    [Fact]
    public async Task A_send_is_always_reported_before_the_reply_it_caused()
    {
        await using var echo = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback, Echo = true }, new Inbox());
        echo.Start();
        var log = new OrderLog();
        await using var sender = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback }, log);
        sender.Start();
        for (int i = 0; i < 50; i++)
        {
            await sender.SendAsync(echo.LocalEndPoint, new byte[] { (byte)i });
            Assert.True(await log.Received.WaitAsync(Wait));
        }
        lock (log.Events)
            Assert.Equal(Enumerable.Repeat<string[]>(["out", "in"], 50).SelectMany(x => x), log.Events);
    }
}
