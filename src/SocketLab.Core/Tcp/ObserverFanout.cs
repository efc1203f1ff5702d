using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>Passes every connection event to several observers in order (console, OLED, transcript…).</summary>
public sealed class ObserverFanout(params IReadOnlyList<IConnectionObserver> list) : IConnectionObserver
{
    // An array, iterated by foreach, allocates no enumerator on the per-message path.
    private readonly IConnectionObserver[] observers = [.. list];

    public void OnConnected(TcpConnection connection)
    {
        foreach (IConnectionObserver o in observers)
            o.OnConnected(connection);
    }

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data)
    {
        foreach (IConnectionObserver o in observers)
            o.OnReceived(connection, data);
    }

    public void OnSent(TcpConnection connection, ReadOnlySpan<byte> data)
    {
        foreach (IConnectionObserver o in observers)
            o.OnSent(connection, data);
    }

    public void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop)
    {
        foreach (IConnectionObserver o in observers)
            o.OnEchoLoop(connection, loop);
    }

    public void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        foreach (IConnectionObserver o in observers)
            o.OnClosed(connection, reason, detail);
    }
}
