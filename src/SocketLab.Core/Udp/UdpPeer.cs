using System.Net;
using SocketLab.Core.Net;

namespace SocketLab.Core.Udp;

/// <summary>A remote address:port a UDP endpoint has heard from or sent to, with its counters.</summary>
public sealed class UdpPeer
{
    public UdpPeer(long id, IPEndPoint endPoint)
    {
        Id = id;
        EndPoint = endPoint;
        Node = new LinkedListNode<UdpPeer>(this);
    }

    private long _datagramsIn;
    private long _bytesIn;
    private long _datagramsOut;
    private long _bytesOut;
    private long _lastSeenTicks = DateTimeOffset.Now.UtcTicks;

    public long Id { get; }

    /// <summary>Its place in the endpoint's least-recently-used list.</summary>
    internal LinkedListNode<UdpPeer> Node { get; }
    public IPEndPoint EndPoint { get; }
    public DateTimeOffset FirstSeen { get; } = DateTimeOffset.Now;
    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
    public long DatagramsIn => Interlocked.Read(ref _datagramsIn);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long DatagramsOut => Interlocked.Read(ref _datagramsOut);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>
    /// Whether this peer's datagrams are echoed while the endpoint's <see cref="UdpEndpoint.Echo"/> is on. The echo
    /// loop guard sets it to false when the peer was echoing too; setting it to true turns echo back on for this
    /// peer and re-arms the guard. Default true.
    /// </summary>
    public bool Echo
    {
        get => _echo;
        set
        {
            if (value)
                _rearm = true;
            _echo = value;
        }
    }

    private volatile bool _echo = true;
    private volatile bool _rearm;

    /// <summary>The loop guard of this peer, made at its first short echo; locked by the endpoint.</summary>
    internal EchoLoopGuard? Guard;

    /// <summary>Echo was turned back on since the guard last looked (and clears the flag).</summary>
    internal bool TakeRearm()
    {
        if (!_rearm)
            return false;
        _rearm = false;
        return true;
    }

    internal void CountIn(int bytes)
    {
        Interlocked.Increment(ref _datagramsIn);
        Interlocked.Add(ref _bytesIn, bytes);
        Interlocked.Exchange(ref _lastSeenTicks, DateTimeOffset.Now.UtcTicks);
    }

    internal void CountOut(int bytes)
    {
        Interlocked.Increment(ref _datagramsOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }
}
