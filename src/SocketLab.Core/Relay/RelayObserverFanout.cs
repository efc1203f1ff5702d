namespace SocketLab.Core.Relay;

/// <summary>Passes each relay event to several observers in order (console, transcript…).</summary>
public sealed class RelayObserverFanout(IReadOnlyList<IRelayObserver> observers) : IRelayObserver
{
    public bool ReadsData => observers.Any(o => o.ReadsData);

    public void OnOpened(RelayConnection c)
    {
        foreach (IRelayObserver o in observers)
            o.OnOpened(c);
    }

    public void OnUpstreamFailed(RelayConnection c, string reason)
    {
        foreach (IRelayObserver o in observers)
            o.OnUpstreamFailed(c, reason);
    }

    public void OnData(RelayConnection c, RelayDirection direction, ReadOnlySpan<byte> data, bool dropped)
    {
        foreach (IRelayObserver o in observers)
            o.OnData(c, direction, data, dropped);
    }

    public void OnHalfClosed(RelayConnection c, RelayDirection direction)
    {
        foreach (IRelayObserver o in observers)
            o.OnHalfClosed(c, direction);
    }

    public void OnReset(RelayConnection c, RelayDirection direction)
    {
        foreach (IRelayObserver o in observers)
            o.OnReset(c, direction);
    }

    public void OnClosed(RelayConnection c)
    {
        foreach (IRelayObserver o in observers)
            o.OnClosed(c);
    }
}
