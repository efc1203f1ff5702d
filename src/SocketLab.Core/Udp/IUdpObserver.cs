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
}
