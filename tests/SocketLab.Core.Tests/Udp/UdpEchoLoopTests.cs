using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Udp;

namespace SocketLab.Core.Tests.Udp;

/// <summary>The UDP echo loop guard, per peer, against real loopback sockets.</summary>
public sealed class UdpEchoLoopTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private sealed class LoopWatcher : IUdpObserver
    {
        private long _received;
        public ConcurrentQueue<(UdpPeer Peer, EchoLoopInfo Loop)> Loops { get; } = new();
        public SemaphoreSlim LoopSignal { get; } = new(0);
        public long Received => Interlocked.Read(ref _received);

        public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) => Interlocked.Increment(ref _received);

        public void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop)
        {
            Loops.Enqueue((peer, loop));
            LoopSignal.Release();
        }
    }

    private static Socket Bound()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    /// <summary>A peer that sends every datagram straight back; counts them.</summary>
    private static async Task<int> BounceAsync(Socket socket, CancellationToken ct)
    {
        byte[] buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        int bounces = 0;
        try
        {
            while (true)
            {
                SocketReceiveFromResult r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct);
                bounces++;
                await socket.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, r.RemoteEndPoint, ct);
            }
        }
        catch (OperationCanceledException)
        {
            return bounces;
        }
    }

    [Fact]
    public async Task A_peer_that_echoes_too_is_cut_off_and_other_peers_still_get_their_echo()
    {
        var watcher = new LoopWatcher();
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback, Echo = true }, watcher);
        endpoint.Start();
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port);
        using Socket board = Bound();
        using Socket other = Bound();
        using var stop = new CancellationTokenSource();
        Task<int> bouncing = BounceAsync(board, stop.Token);

        await board.SendToAsync(Encoding.ASCII.GetBytes("hello message from mPython\r\n"), target);
        Assert.True(await watcher.LoopSignal.WaitAsync(Limit), "the guard never found the loop");
        (UdpPeer peer, EchoLoopInfo loop) = watcher.Loops.Single();
        Assert.Equal(28, loop.PayloadLength);
        Assert.True(loop.Count >= EchoLoopInfo.Repeats);
        Assert.False(peer.Echo);
        Assert.True(endpoint.Echo);

        // Another peer is still echoed.
        byte[] ping = "ping"u8.ToArray();
        await other.SendToAsync(ping, target);
        byte[] buffer = new byte[100];
        using (var wait = new CancellationTokenSource(Limit))
            Assert.Equal(4, await other.ReceiveAsync(buffer, SocketFlags.None, wait.Token));

        // The loop has stopped; every datagram that came was reported.
        long before;
        do
        {
            before = peer.DatagramsIn;
            await Task.Delay(300);
        }
        while (peer.DatagramsIn != before);
        // 21 normally: 20, then the bounce of the held echo sent as the last; a stall over 200 ms restarts the run.
        Assert.InRange(peer.DatagramsIn, EchoLoopInfo.Repeats + 1, 5 * EchoLoopInfo.Repeats);
        Assert.Equal(peer.DatagramsIn + 1, watcher.Received);

        // Echo back on for that peer: the loop starts again and is broken again.
        peer.Echo = true;
        await board.SendToAsync("again"u8.ToArray(), target);
        Assert.True(await watcher.LoopSignal.WaitAsync(Limit), "the guard did not re-arm");
        Assert.False(peer.Echo);
        stop.Cancel();
        await bouncing;
    }

    [Fact]
    public async Task A_peer_repeating_itself_on_its_own_gets_every_echo()
    {
        var watcher = new LoopWatcher();
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback, Echo = true }, watcher);
        endpoint.Start();
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port);
        using Socket sensor = Bound();
        const int count = 120;
        var sender = new Thread(() =>
        {
            for (int i = 0; i < count; i++)
            {
                sensor.SendTo("25.0\r\n"u8, target);
                Thread.Sleep(15);
            }
        }) { IsBackground = true };
        sender.Start();
        byte[] buffer = new byte[100];
        using var wait = new CancellationTokenSource(Limit);
        for (int i = 0; i < count; i++)
            Assert.Equal(6, await sensor.ReceiveAsync(buffer, SocketFlags.None, wait.Token));
        Assert.Empty(watcher.Loops);
    }

    [Fact]
    public async Task Without_the_guard_the_loop_goes_on()
    {
        var watcher = new LoopWatcher();
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions { Port = 0, BindAddress = IPAddress.Loopback, Echo = true, EchoLoopGuard = false }, watcher);
        endpoint.Start();
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.LocalEndPoint.Port);
        using Socket board = Bound();
        using var stop = new CancellationTokenSource();
        Task<int> bouncing = BounceAsync(board, stop.Token);
        await board.SendToAsync("ping"u8.ToArray(), target);
        using var wait = new CancellationTokenSource(Limit);
        while (watcher.Received < 500)
            await Task.Delay(10, wait.Token);
        Assert.Empty(watcher.Loops);
        stop.Cancel();
        await bouncing;
    }
}
