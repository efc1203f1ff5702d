using System.Net;

namespace SocketLab.Core.Udp;

/// <summary>How a UDP endpoint binds and behaves; the defaults follow the board's udp_server.</summary>
public sealed record UdpEndpointOptions
{
    /// <summary>The board's UDP tutorial port.</summary>
    public const int DefaultPort = 6000;

    /// <summary>Default <see cref="IPAddress.IPv6Any"/> in dual mode: every IPv4 and IPv6 interface.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>0 asks the OS for a free port (what a sender normally wants).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Send every received datagram back to its sender, unchanged.</summary>
    public bool Echo { get; init; }

    /// <summary>
    /// While echoing, break echo loops per peer: a peer that sends back what it gets (so one datagram bounces for
    /// ever) has its echo turned off (<see cref="UdpPeer.Echo"/>) and the observer hears
    /// <see cref="IUdpObserver.OnEchoLoop"/>. See <see cref="Net.EchoLoopInfo"/> for what counts as a loop. Default true.
    /// </summary>
    public bool EchoLoopGuard { get; init; } = true;

    /// <summary>Allow sending to broadcast addresses (SO_BROADCAST).</summary>
    public bool Broadcast { get; init; }

    /// <summary>Multicast groups to join after binding.</summary>
    public IReadOnlyList<IPAddress> MulticastGroups { get; init; } = [];

    /// <summary>IPv4 interface address used to join groups and send multicast; null = the OS default route.</summary>
    public IPAddress? MulticastInterface { get; init; }

    /// <summary>
    /// SO_RCVBUF in bytes; 0 keeps the OS default (about 200 KiB on Linux: only ~200 small datagrams,
    /// 20 ms of a 10,000/s stream, before the kernel drops). The OS may cap it (Linux: net.core.rmem_max).
    /// </summary>
    public int ReceiveBufferBytes { get; init; }

    /// <summary>Peers remembered at once; the one heard from least recently is forgotten first.</summary>
    public int MaxPeers { get; init; } = 10_000;
}
