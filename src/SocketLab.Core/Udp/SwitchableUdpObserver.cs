using SocketLab.Core.Net;

namespace SocketLab.Core.Udp;

/// <summary>
/// Passes datagram events to a target that can be set or cleared while the endpoint runs (a
/// recorder switched on and off); read once per event with no lock.
/// </summary>
public sealed class SwitchableUdpObserver : IUdpObserver
{
    private IUdpObserver? _target;

    public IUdpObserver? Target => Volatile.Read(ref _target);

    /// <summary>Sets the target (null clears it) and returns the previous one.</summary>
    public IUdpObserver? Exchange(IUdpObserver? target) => Interlocked.Exchange(ref _target, target);

    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) => Target?.OnReceived(endpoint, peer, data);

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo) => Target?.OnSent(endpoint, peer, data, echo);

    public void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop) => Target?.OnEchoLoop(endpoint, peer, loop);
}
