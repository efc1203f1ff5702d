using System.Collections.Concurrent;
using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Core.Tests.Relay;

/// <summary>
/// A device on loopback for relay tests: each connection starts with an 8-byte seed; the device then sends
/// <see cref="Payload"/>(seed, size) and half-closes, while it reads everything the client sends until the
/// client's FIN and keeps it under the seed. Both directions carry independent random bytes at once.
/// </summary>
public sealed class SeededDevice : IAsyncDisposable
{
    private readonly Socket _listener = RawPeer.Listen(backlog: 256);
    private readonly Func<long, int> _sizeFor;
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accept;

    public SeededDevice(Func<long, int> sizeFor)
    {
        _sizeFor = sizeFor;
        _accept = Task.Run(AcceptAsync);
    }

    public int Port => RawPeer.PortOf(_listener);

    /// <summary>What each connection sent, by seed, once its FIN arrived.</summary>
    public ConcurrentDictionary<long, byte[]> Received { get; } = new();

    public static byte[] Payload(long seed, int size)
    {
        byte[] bytes = new byte[size];
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).NextBytes(bytes);
        return bytes;
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket s;
            try { s = await _listener.AcceptAsync(); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { return; }
            _connections.Add(Task.Run(() => ServeAsync(s)));
        }
    }

    private async Task ServeAsync(Socket s)
    {
        using (s)
        {
            long seed = BitConverter.ToInt64(await RawPeer.ReadExactlyAsync(s, 8));
            Task send = Task.Run(async () =>
            {
                byte[] payload = Payload(seed, _sizeFor(seed));
                for (int sent = 0; sent < payload.Length;)
                    sent += await s.SendAsync(payload.AsMemory(sent), SocketFlags.None);
                s.Shutdown(SocketShutdown.Send);
            });
            Received[seed] = await RawPeer.ReadToEndAsync(s);
            await send;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _accept;
        await Task.WhenAll(_connections);
    }
}
