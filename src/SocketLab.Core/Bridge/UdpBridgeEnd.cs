using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bridge;

/// <summary>
/// One UDP peer as a bridge end: each chunk from the other side goes out as a datagram (split at
/// <see cref="MaxDatagram"/>), each datagram from the peer is one chunk. Datagrams from other addresses are ignored.
/// </summary>
public sealed class UdpBridgeEnd(string name, HostPort target) : IBridgeEnd
{
    public const int MaxDatagram = 65507;
    private Socket? _socket;
    private long _undelivered;

    public string Name { get; } = name;
    public string Kind => "udp";
    public long Undelivered => Interlocked.Read(ref _undelivered);

    public async Task OpenAsync(CancellationToken ct)
    {
        IPAddress address = (await HostResolver.ResolveAllAsync(target.Host, ct, NetworkOperation.Connect, target.ToString()).ConfigureAwait(false))[0];
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Connected: the kernel drops datagrams from anyone else, and sends go to the peer.
            await socket.ConnectAsync(new IPEndPoint(address, target.Port), ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw NetworkException.From(ex, NetworkOperation.Connect, target.ToString());
        }
        _socket = socket;
    }

    public async Task<BridgeEndResult> RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> forward, Action<string> notice, CancellationToken stop)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram + 1);
        while (true)
        {
            try
            {
                int n = await _socket!.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
                await forward(buffer.AsMemory(0, n)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new BridgeEndResult(BridgeEndReason.Stopped);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // ICMP port unreachable for an earlier datagram: nobody listens there yet; keep going.
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return new BridgeEndResult(BridgeEndReason.Stopped);
            }
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        for (int start = 0; start < data.Length; start += MaxDatagram)
        {
            ReadOnlyMemory<byte> piece = data.Slice(start, Math.Min(MaxDatagram, data.Length - start));
            try
            {
                await _socket!.SendAsync(piece, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Interlocked.Add(ref _undelivered, piece.Length);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}
