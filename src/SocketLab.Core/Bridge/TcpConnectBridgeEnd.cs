using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Bridge;

/// <summary>An outgoing TCP connection as a bridge end; it ends when the peer closes or resets.</summary>
public sealed class TcpConnectBridgeEnd(string name, HostPort target) : IBridgeEnd
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Socket? _socket;
    private long _undelivered;

    public string Name { get; } = name;
    public string Kind => "tcp";
    public long Undelivered => Interlocked.Read(ref _undelivered);

    public async Task OpenAsync(CancellationToken ct)
    {
        _socket = await TcpConnector.ConnectAsync(target.Host, target.Port, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        _socket.NoDelay = true;
    }

    public async Task<BridgeEndResult> RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> forward, Action<string> notice, CancellationToken stop)
    {
        Socket socket = _socket ?? throw new InvalidOperationException("not open");
        return await TcpBridgeStream.PumpAsync(socket, forward, stop).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!await TcpBridgeStream.SendAllAsync(_socket!, data).ConfigureAwait(false))
                Interlocked.Add(ref _undelivered, data.Length);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
