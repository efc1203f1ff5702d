using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab bridge between a socat pty pair, loopback TCP and UDP: every byte both ways, shared serial end, unplug.</summary>
public sealed class BridgeCommandTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-bridge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Random(int size)
    {
        byte[] bytes = new byte[size];
        System.Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Serial_to_tcp_listen_passes_random_bytes_both_ways_to_every_client_and_ends_with_19_on_unplug()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using FileStream device = pty.OpenFar();
        string transcript = Path.Combine(_dir, "bridge.jsonl");
        await using CliProcess bridge = CliProcess.Start("bridge", $"serial:{pty.Near}@115200", "tcp-listen:127.0.0.1:0", "--quiet", "--record", transcript);
        int port = await bridge.WaitForPortAsync();
        using Socket first = await RawPeer.ConnectAsync(port);
        using Socket second = await RawPeer.ConnectAsync(port);
        await bridge.WaitForLineAsync(@"client #2 .* connected \(2 now\)", stderr: true);

        // Device → every client.
        byte[] fromDevice = Random(64 * 1024);
        Task writing = Task.Run(() => device.Write(fromDevice));
        Assert.Equal(fromDevice, await RawPeer.ReadExactlyAsync(first, fromDevice.Length));
        Assert.Equal(fromDevice, await RawPeer.ReadExactlyAsync(second, fromDevice.Length));
        await writing;

        // A client → the device.
        byte[] fromClient = Random(64 * 1024);
        Task<byte[]> deviceReads = Task.Run(() => { byte[] b = new byte[fromClient.Length]; device.ReadExactly(b); return b; });
        await first.SendAsync(fromClient, SocketFlags.None);
        Assert.Equal(fromClient, await deviceReads.WaitAsync(Wait));

        pty.Unplug();
        Assert.Equal(19, await bridge.WaitForExitAsync(Wait));
        Assert.Contains($"went away (unplugged?); {fromDevice.Length} bytes serial → tcp-listen, {fromClient.Length} bytes tcp-listen → serial", bridge.Stderr);
        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(transcript);
        Assert.Equal(fromDevice, events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.Out).SelectMany(e => e.Data.ToArray()).ToArray());
        Assert.Equal(fromClient, events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.In).SelectMany(e => e.Data.ToArray()).ToArray());
        Assert.Equal("lost", events[^1].Reason);
    }

    [Fact]
    public async Task Tcp_to_tcp_listen_is_byte_exact_and_ends_with_0_when_the_connected_side_closes()
    {
        using Socket server = RawPeer.Listen();
        await using CliProcess bridge = CliProcess.Start("bridge", $"tcp:127.0.0.1:{RawPeer.PortOf(server)}", "tcp-listen:127.0.0.1:0", "--hex");
        int port = await bridge.WaitForPortAsync();
        using Socket upstream = await server.AcceptAsync().WaitAsync(Wait);
        using Socket client = await RawPeer.ConnectAsync(port);
        await bridge.WaitForLineAsync(@"client #1 .* connected", stderr: true);

        byte[] up = Random(1024 * 1024), down = Random(1024 * 1024);
        Task<byte[]> upstreamReads = RawPeer.ReadExactlyAsync(upstream, up.Length);
        Task<byte[]> clientReads = RawPeer.ReadExactlyAsync(client, down.Length);
        await Task.WhenAll(client.SendAsync(up, SocketFlags.None), upstream.SendAsync(down, SocketFlags.None));
        Assert.Equal(up, await upstreamReads);
        Assert.Equal(down, await clientReads);

        upstream.Shutdown(SocketShutdown.Both);
        upstream.Close();
        Assert.Equal(0, await bridge.WaitForExitAsync(Wait));
        Assert.Contains("the other end closed the connection", bridge.Stderr);
        Assert.Contains(bridge.StdoutLines, l => l.Contains("tcp-listen → tcp 65536 bytes") || System.Text.RegularExpressions.Regex.IsMatch(l, @"#1 tcp-listen → tcp \d+ bytes$"));
    }

    [Fact]
    public async Task Udp_peer_to_tcp_listen_sends_each_chunk_as_a_datagram_and_each_datagram_back()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using CliProcess bridge = CliProcess.Start("bridge", "tcp-listen:127.0.0.1:0", $"udp:127.0.0.1:{((IPEndPoint)peer.LocalEndPoint!).Port}");
        int port = await bridge.WaitForPortAsync();
        using Socket client = await RawPeer.ConnectAsync(port);
        await bridge.WaitForLineAsync(@"client #1 .* connected", stderr: true);

        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
        byte[] datagram = new byte[100];
        var from = new IPEndPoint(IPAddress.Any, 0);
        SocketReceiveFromResult got = await peer.ReceiveFromAsync(datagram, SocketFlags.None, from).WaitAsync(Wait);
        Assert.Equal("ping"u8.ToArray(), datagram[..got.ReceivedBytes]);

        await peer.SendToAsync("pong"u8.ToArray(), SocketFlags.None, got.RemoteEndPoint);
        Assert.Equal("pong"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 4));
        await bridge.WaitForLineAsync("udp → tcp-listen pong$");
    }

    [Theory]
    [InlineData(new[] { "bridge", "serial:/dev/ttyUSB-socketlab-none", "tcp-listen:0" }, 18, "no such serial port")]
    [InlineData(new[] { "bridge", "com3", "tcp-listen:5001" }, 2, "'com3' is not an endpoint (use serial:PORT[@BAUD[,8N1]], tcp:HOST:PORT, tcp-listen:[ADDR:]PORT, udp:HOST:PORT)")]
    [InlineData(new[] { "bridge", "serial:/dev/ttyUSB0@fast", "tcp-listen:5001" }, 2, "baud rate must be a whole number")]
    [InlineData(new[] { "bridge", "tcp-listen:http", "tcp:127.0.0.1:1" }, 2, "expected tcp-listen:PORT or tcp-listen:ADDR:PORT")]
    [InlineData(new[] { "bridge", "tcp-listen:5001" }, 2, "Required argument missing")]
    public async Task Bad_endpoints_are_one_line_and_a_documented_code(string[] args, int expected, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, args);
        Assert.Equal(expected, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_device_that_refuses_is_exit_5()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "bridge", "tcp-listen:127.0.0.1:0", $"tcp:127.0.0.1:{RawPeer.FreePort()}");
        Assert.Equal(5, code);
        Assert.Contains("connection refused", stderr);
    }
}
