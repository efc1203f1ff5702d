using System.Net;
using System.Net.Sockets;

namespace SocketLab.Tests.Shared;

/// <summary>
/// A deliberately bad UDP echo on 127.0.0.1: it numbers the datagrams it receives (all peers together)
/// and drops, corrupts, duplicates or swaps some of them (swapping assumes one peer); the rest it echoes unchanged. Shared by the
/// Core and CLI tests of <c>socketlab bench --udp</c>.
/// </summary>
internal sealed class FaultyUdpEcho : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<long, byte[], int, Socket, EndPoint, ValueTask> _echo;
    private readonly Task _loop;

    private FaultyUdpEcho(Func<long, byte[], int, Socket, EndPoint, ValueTask> echo)
    {
        _echo = echo;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Drops every <paramref name="nth"/> datagram received (the nth, the 2nth…).</summary>
    public static FaultyUdpEcho Dropping(int nth) => new(async (n, data, length, s, to) =>
    {
        if ((n + 1) % nth != 0)
            await s.SendToAsync(data.AsMemory(0, length), SocketFlags.None, to);
    });

    /// <summary>Flips byte <paramref name="at"/> of the datagram numbered <paramref name="datagram"/> (from 0).</summary>
    public static FaultyUdpEcho Corrupting(long datagram, int at) => new(async (n, data, length, s, to) =>
    {
        if (n == datagram)
            data[at] ^= 0xFF;
        await s.SendToAsync(data.AsMemory(0, length), SocketFlags.None, to);
    });

    /// <summary>Echoes every datagram twice.</summary>
    public static FaultyUdpEcho Duplicating() => new(async (n, data, length, s, to) =>
    {
        await s.SendToAsync(data.AsMemory(0, length), SocketFlags.None, to);
        await s.SendToAsync(data.AsMemory(0, length), SocketFlags.None, to);
    });

    /// <summary>Echoes each pair of datagrams the other way round: the second first.</summary>
    public static FaultyUdpEcho Swapping()
    {
        byte[]? held = null;
        return new(async (n, data, length, s, to) =>
        {
            if (held is null)
            {
                held = data[..length];
                return;
            }
            await s.SendToAsync(data.AsMemory(0, length), SocketFlags.None, to);
            await s.SendToAsync(held, SocketFlags.None, to);
            held = null;
        });
    }

    private async Task LoopAsync()
    {
        byte[] buffer = new byte[65_536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            for (long n = 0; ; n++)
            {
                SocketReceiveFromResult r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                await _echo(n, buffer, r.ReceivedBytes, _socket, r.RemoteEndPoint);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
