namespace SocketLab.Core.Relay;

/// <summary>Which way bytes go through the relay: from the client to the device it relays to, or back.</summary>
public enum RelayDirection
{
    /// <summary>Client → device (the upstream the relay connects to).</summary>
    ToDevice,
    /// <summary>Device → client.</summary>
    ToClient,
}

/// <summary>
/// Events of a <see cref="RelayServer"/>, raised on the connection's pump of that direction; events of one
/// direction come in order, the two directions of a connection run concurrently.
/// </summary>
public interface IRelayObserver
{
    /// <summary>
    /// Whether this observer looks at the bytes (<see cref="OnData"/>). When no observer does, a relay on Linux passes
    /// them kernel to kernel without copying them into the process, and <see cref="OnData"/> is not called.
    /// </summary>
    bool ReadsData => true;

    /// <summary>A client was accepted and its upstream connection is open.</summary>
    void OnOpened(RelayConnection c);

    /// <summary>The device could not be reached for this client; the client is reset.</summary>
    void OnUpstreamFailed(RelayConnection c, string reason);

    /// <summary>A chunk read from one side; <paramref name="dropped"/> when --drop kept it from the other side.</summary>
    void OnData(RelayConnection c, RelayDirection direction, ReadOnlySpan<byte> data, bool dropped);

    /// <summary>The sending side of <paramref name="direction"/> closed its half (FIN), passed on as a FIN to the other.</summary>
    void OnHalfClosed(RelayConnection c, RelayDirection direction);

    /// <summary>The sending side of <paramref name="direction"/> reset the connection, passed on as a reset to the other.</summary>
    void OnReset(RelayConnection c, RelayDirection direction);

    /// <summary>Both sides are closed; the last event of a connection.</summary>
    void OnClosed(RelayConnection c);
}
