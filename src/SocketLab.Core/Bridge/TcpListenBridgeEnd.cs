using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bridge;

/// <summary>
/// A listening port as a bridge end: any number of clients; what each sends goes to the other side
/// (chunks of different clients interleave, each chunk whole), what the other side sends goes to every client.
/// </summary>
public sealed class TcpListenBridgeEnd(string name, IPEndPoint local) : IBridgeEnd
{
    private readonly ConcurrentDictionary<long, Socket> _clients = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Socket? _listener;
    private long _nextId;
    private long _undelivered;

    public string Name { get; } = name;
    public string Kind => "tcp-listen";
    public long Undelivered => Interlocked.Read(ref _undelivered);
    public int ClientCount => _clients.Count;

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not open")).LocalEndPoint!;

    public Task OpenAsync(CancellationToken ct)
    {
        _listener = ListenSocket.Open(local);
        return Task.CompletedTask;
    }

    public async Task<BridgeEndResult> RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> forward, Action<string> notice, CancellationToken stop)
    {
        var running = new List<Task>();
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }
            client.NoDelay = true;
            long id = Interlocked.Increment(ref _nextId);
            _clients[id] = client;
            string who = EndpointText.HostPort((IPEndPoint)client.RemoteEndPoint!);
            notice($"{Name}: client #{id} {who} connected ({_clients.Count} now)");
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                BridgeEndResult end = await TcpBridgeStream.PumpAsync(client, forward, stop).ConfigureAwait(false);
                _clients.TryRemove(id, out _);
                client.Dispose();
                if (end.Reason != BridgeEndReason.Stopped)
                    notice($"{Name}: client #{id} {who} {(end.Reason == BridgeEndReason.Reset ? "reset the connection" : "closed")} ({_clients.Count} now)");
            }, CancellationToken.None));
        }
        foreach (Socket c in _clients.Values)
            c.Dispose();
        await Task.WhenAll(running).ConfigureAwait(false);
        return new BridgeEndResult(BridgeEndReason.Stopped);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_clients.IsEmpty)
                Interlocked.Add(ref _undelivered, data.Length);
            foreach (Socket client in _clients.Values)
                await TcpBridgeStream.SendAllAsync(client, data).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        foreach (Socket c in _clients.Values)
            c.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
