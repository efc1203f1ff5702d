namespace SocketLab.Core.Bridge;

/// <summary>Which way a chunk went: read from the first endpoint and written to the second, or back.</summary>
public enum BridgeDirection
{
    AToB,
    BToA,
}

/// <summary>What a bridge reports: each chunk as it passes, and clients coming and going.</summary>
public interface IBridgeObserver
{
    void OnData(BridgeDirection direction, ReadOnlySpan<byte> data);
    void OnNotice(string text);
}

/// <summary>
/// Passes bytes unchanged between two ends until one of them ends (a connection closed or reset, a
/// serial port gone) or <c>stop</c>; the result says which end stopped and why.
/// </summary>
public sealed class BridgeRunner(IBridgeEnd a, IBridgeEnd b, IBridgeObserver observer)
{
    private long _aToB;
    private long _bToA;

    public long BytesAToB => Interlocked.Read(ref _aToB);
    public long BytesBToA => Interlocked.Read(ref _bToA);

    /// <summary>Opens the first end, then the second; open failures throw.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        await a.OpenAsync(ct).ConfigureAwait(false);
        await b.OpenAsync(ct).ConfigureAwait(false);
    }

    public async Task<(IBridgeEnd End, BridgeEndResult Result)> RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task<BridgeEndResult> runA = a.RunAsync(data => Forward(BridgeDirection.AToB, data, b), observer.OnNotice, linked.Token);
        Task<BridgeEndResult> runB = b.RunAsync(data => Forward(BridgeDirection.BToA, data, a), observer.OnNotice, linked.Token);
        Task<BridgeEndResult> first = await Task.WhenAny(runA, runB).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        // A serial port's read is not cancellable: disposing closes it.
        await (first == runA ? b : a).DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(runA, runB).ConfigureAwait(false);
        return (first == runA ? a : b, await first.ConfigureAwait(false));
    }

    private ValueTask Forward(BridgeDirection direction, ReadOnlyMemory<byte> data, IBridgeEnd to)
    {
        Interlocked.Add(ref direction == BridgeDirection.AToB ? ref _aToB : ref _bToA, data.Length);
        observer.OnData(direction, data.Span);
        return to.WriteAsync(data);
    }
}
