namespace SocketLab.Core.Tcp;

/// <summary>
/// The one reconnect policy, for <c>socketlab client --reconnect</c> and the page's TCP client: how long to
/// wait before each try (<see cref="ReconnectBackoff"/>), when to give up, and when the back-off starts small
/// again — only after a connection that lasted <see cref="StableAfter"/>, so a server that accepts and
/// closes at once is retried ever more slowly instead of every half second.
/// </summary>
public sealed class ReconnectPolicy
{
    /// <summary>The first delay when none is given (<c>--backoff</c>'s default).</summary>
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay when none is given (<c>--backoff-max</c>'s default).</summary>
    public static readonly TimeSpan DefaultMax = TimeSpan.FromSeconds(30);

    /// <summary>A connection that lasted this long worked: the next wait starts from the first delay again.</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(5);

    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _time;
    private int _failures;
    private long _connectedAt;

    /// <summary>Waits from <paramref name="initial"/> up to <paramref name="max"/>; gives up after <paramref name="maxFailures"/> connect failures in a row (0 = never).</summary>
    public ReconnectPolicy(TimeSpan initial, TimeSpan max, int maxFailures = 0, TimeProvider? time = null, Random? random = null)
    {
        _backoff = new ReconnectBackoff(initial, max, random);
        _time = time ?? TimeProvider.System;
        MaxFailures = maxFailures;
    }

    public ReconnectPolicy() : this(DefaultInitial, DefaultMax)
    {
    }

    public int MaxFailures { get; }

    /// <summary>A connect (or handshake) failed: the wait before the next try, or null when it is time to give up.</summary>
    public TimeSpan? ConnectFailed()
    {
        _failures++;
        return MaxFailures > 0 && _failures >= MaxFailures ? null : _backoff.Next();
    }

    /// <summary>A connection is up: failures in a row start from zero, and its lifetime is timed.</summary>
    public void Connected()
    {
        _failures = 0;
        _connectedAt = _time.GetTimestamp();
    }

    /// <summary>The connection ended: the wait before reconnecting.</summary>
    public TimeSpan Disconnected()
    {
        if (_time.GetElapsedTime(_connectedAt) >= StableAfter)
            _backoff.Reset();
        return _backoff.Next();
    }
}
