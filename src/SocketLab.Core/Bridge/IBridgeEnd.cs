namespace SocketLab.Core.Bridge;

/// <summary>How one end of a bridge stopped.</summary>
public enum BridgeEndReason
{
    /// <summary>Stopped here (Ctrl+C).</summary>
    Stopped,
    /// <summary>The peer closed the connection (TCP FIN).</summary>
    Closed,
    /// <summary>The peer reset the connection.</summary>
    Reset,
    /// <summary>The serial port went away (USB unplugged).</summary>
    Lost,
}

public sealed record BridgeEndResult(BridgeEndReason Reason, string? Detail = null);

/// <summary>
/// One side of a bridge: a serial port, a TCP connection, TCP clients of a listening port, or a UDP peer.
/// <see cref="RunAsync"/> hands every chunk it reads to <c>forward</c> (which writes it to the other side);
/// <see cref="WriteAsync"/> writes a chunk from the other side whole, before any other chunk starts.
/// </summary>
public interface IBridgeEnd : IAsyncDisposable
{
    /// <summary>The endpoint as given, e.g. "serial:/dev/ttyUSB0@115200".</summary>
    string Name { get; }

    /// <summary>"serial", "tcp", "tcp-listen" or "udp", for the log's direction labels.</summary>
    string Kind { get; }

    /// <summary>Opens, connects or listens; failures are <see cref="Net.NetworkException"/> or <see cref="Serial.SerialPortException"/>.</summary>
    Task OpenAsync(CancellationToken ct);

    /// <summary>Reads until this side ends (a listening side only ends when stopped); <paramref name="notice"/> gets clients coming and going.</summary>
    Task<BridgeEndResult> RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> forward, Action<string> notice, CancellationToken stop);

    /// <summary>Writes a chunk; a side that is gone (or has no client yet) drops it and says how many bytes it dropped so far.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data);

    /// <summary>Bytes written to this side that had nowhere to go (no client connected on a listening side).</summary>
    long Undelivered { get; }
}
