using SocketLab.Core.Serial;

namespace SocketLab.Core.Bridge;

/// <summary>A serial port as a bridge end; it ends when the port goes away (<see cref="BridgeEndReason.Lost"/>).</summary>
public sealed class SerialBridgeEnd(string name, SerialSettings settings) : IBridgeEnd
{
    private SerialLink? _link;
    private long _undelivered;

    public string Name { get; } = name;
    public string Kind => "serial";
    public SerialSettings Settings { get; } = settings;
    public long Undelivered => Interlocked.Read(ref _undelivered);

    public Task OpenAsync(CancellationToken ct)
    {
        _link = SerialLink.Open(Settings);
        return Task.CompletedTask;
    }

    public async Task<BridgeEndResult> RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> forward, Action<string> notice, CancellationToken stop)
    {
        SerialLink link = _link ?? throw new InvalidOperationException("not open");
        byte[] buffer = new byte[64 * 1024];
        using (stop.Register(link.Close))
        {
            int n;
            while ((n = await link.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                await forward(buffer.AsMemory(0, n)).ConfigureAwait(false);
        }
        (SerialCloseReason reason, string? detail) = link.End();
        return reason == SerialCloseReason.Lost ? new BridgeEndResult(BridgeEndReason.Lost, detail) : new BridgeEndResult(BridgeEndReason.Stopped);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await _link!.SendAsync(data).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref _undelivered, data.Length); // The port is gone: its read loop ends the bridge.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_link is not null)
            await _link.DisposeAsync().ConfigureAwait(false);
    }
}
