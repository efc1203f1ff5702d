using System.Net;

namespace SocketLab.Core.Relay;

/// <summary>One accepted client and its own upstream connection to the device.</summary>
public sealed class RelayConnection(long id, IPEndPoint client, IPEndPoint listener)
{
    private long _toDevice;
    private long _toClient;

    public long Id { get; } = id;
    public IPEndPoint Client { get; } = client;
    /// <summary>The relay's own address the client connected to.</summary>
    public IPEndPoint Listener { get; } = listener;
    /// <summary>The device's address, once connected.</summary>
    public IPEndPoint? Device { get; internal set; }
    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.Now;

    /// <summary>Bytes read from the client (forwarded to the device unless dropped).</summary>
    public long BytesToDevice => Interlocked.Read(ref _toDevice);
    public long BytesToClient => Interlocked.Read(ref _toClient);

    /// <summary>Whether either side reset the connection (and the reset was passed on).</summary>
    public bool WasReset { get; internal set; }

    /// <summary>True for the first reset of a connection, so only one side reports and passes it on.</summary>
    internal bool TryMarkReset()
    {
        lock (this)
        {
            if (WasReset)
                return false;
            WasReset = true;
            return true;
        }
    }

    internal void Count(RelayDirection direction, int n)
    {
        if (direction == RelayDirection.ToDevice)
            Interlocked.Add(ref _toDevice, n);
        else
            Interlocked.Add(ref _toClient, n);
    }
}
