using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Passes connection events to a target that can be set or cleared while connections run (a
/// recorder switched on and off). The target is read once per event with no lock: an event racing
/// a switch goes to the old or the new target, never to neither half-way.
/// </summary>
public sealed class SwitchableObserver : IConnectionObserver
{
    private IConnectionObserver? _target;

    public IConnectionObserver? Target => Volatile.Read(ref _target);

    /// <summary>Sets the target (null clears it) and returns the previous one.</summary>
    public IConnectionObserver? Exchange(IConnectionObserver? target) => Interlocked.Exchange(ref _target, target);

    public void OnConnected(TcpConnection connection) => Target?.OnConnected(connection);

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) => Target?.OnReceived(connection, data);

    public void OnSent(TcpConnection connection, ReadOnlySpan<byte> data) => Target?.OnSent(connection, data);

    public void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop) => Target?.OnEchoLoop(connection, loop);

    public void OnClosed(TcpConnection connection, CloseReason reason, string? detail) => Target?.OnClosed(connection, reason, detail);
}
