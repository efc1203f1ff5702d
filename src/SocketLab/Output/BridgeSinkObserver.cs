using SocketLab.Core.Bridge;

namespace SocketLab.Cli.Output;

/// <summary>
/// A bridge on the console: each chunk with its time and direction ("serial → tcp-listen"), clients
/// coming and going as notices. In JSON, chunks from the first endpoint are "sent" events and the way back "received".
/// </summary>
public sealed class BridgeSinkObserver(ConsoleSink sink, IBridgeEnd a, IBridgeEnd b) : IBridgeObserver
{
    private readonly string _aToB = $"{a.Kind} → {b.Kind} ";
    private readonly string _bToA = $"{b.Kind} → {a.Kind} ";

    public void OnData(BridgeDirection direction, ReadOnlySpan<byte> data) =>
        sink.Data(direction == BridgeDirection.AToB ? EventKind.Sent : EventKind.Received, 1, null, data, direction == BridgeDirection.AToB ? _aToB : _bToA);

    public void OnNotice(string text) => sink.Error(text);
}
