using SocketLab.Core.Net;

namespace SocketLab.Core.Udp;

/// <summary>
/// Receives a UDP endpoint's datagrams. Calls come from the receive loop and must return quickly;
/// the span is only valid during the call.
/// </summary>
public interface IUdpObserver
{
    void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) { }

    /// <summary>A datagram sent; <paramref name="echo"/> when it was the automatic echo of one received.</summary>
    void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo) { }

    /// <summary>
    /// The echo loop guard turned echo off for <paramref name="peer"/> (<see cref="UdpPeer.Echo"/> is now false):
    /// it was sending back what we echoed. Its datagrams were reported to <see cref="OnReceived"/> as usual.
    /// Called from a timer thread, in order with the other events.
    /// </summary>
    void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop) { }
}

/// <summary>Passes every datagram event to several observers in order (console, transcript…).</summary>
public sealed class UdpObserverFanout(params IReadOnlyList<IUdpObserver> observers) : IUdpObserver
{
    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data)
    {
        foreach (IUdpObserver o in observers)
            o.OnReceived(endpoint, peer, data);
    }

    public void OnSent(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data, bool echo)
    {
        foreach (IUdpObserver o in observers)
            o.OnSent(endpoint, peer, data, echo);
    }

    public void OnEchoLoop(UdpEndpoint endpoint, UdpPeer peer, EchoLoopInfo loop)
    {
        foreach (IUdpObserver o in observers)
            o.OnEchoLoop(endpoint, peer, loop);
    }
}
