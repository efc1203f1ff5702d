using System.Net;
using SocketLab.Core.Net;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tcp;

/// <summary>Listener settings; the defaults follow the seed's board program, made concurrent.</summary>
public sealed record TcpServerOptions
{
    /// <summary>The seed's port.</summary>
    public const int DefaultPort = 5001;

    /// <summary>Address to bind. Default <see cref="IPAddress.IPv6Any"/> in dual mode: every IPv4 and IPv6 interface.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>0 asks the OS for a free port; <see cref="TcpServer.LocalEndPoint"/> tells which.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The seed's board program's <c>listen(3)</c>.</summary>
    public const int BoardBacklog = 3;

    /// <summary>Pending-connection queue length (the seed used 3; Kestrel uses 512).</summary>
    public int Backlog { get; init; } = DefaultBacklog;

    public const int DefaultBacklog = 512;

    /// <summary>Connections served at once; one more is accepted and closed straight away. 0 = no limit.</summary>
    public int MaxClients { get; init; }

    /// <summary>
    /// Serve one client at a time, as the seed's board server does: the next accept waits until the
    /// current client has closed, so later clients wait in the kernel's queue (<see cref="Backlog"/>),
    /// their handshake done and their data unread, and are served strictly in turn. Default false.
    /// </summary>
    public bool OneClientAtATime { get; init; }

    /// <summary>Peers allowed to connect (--allow/--deny); others are closed at once. Default: everyone.</summary>
    public AccessList? Access { get; init; }

    /// <summary>Serve TLS instead of plain TCP. Default: plain.</summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary>How connections are served. Default <see cref="SocketEngine.Auto"/>: SocketLab's epoll loops on Linux for plain TCP.</summary>
    public SocketEngine Engine { get; init; }

    /// <summary>
    /// Epoll and uring engines: after traffic, keep polling for more this long before sleeping. A message that arrives
    /// meanwhile is served without a wake-up (for this side and for the sender, which then need not wake it):
    /// one busy client's round trip drops to about a third. The cost is the polling: measured +1 % of a core
    /// for a client talking at 1 kHz, +6 % for ten of them. Applies to the loops this server makes; a
    /// <see cref="LoopGroup"/> given has its own. Default <see cref="DefaultBusyPoll"/>; <see cref="TimeSpan.Zero"/> sleeps at once.
    /// </summary>
    public TimeSpan BusyPoll { get; init; } = DefaultBusyPoll;

    /// <summary>50 µs: nearly all of the latency gain of longer polls (200 µs) at a seventh of their CPU for a chatty client.</summary>
    public static readonly TimeSpan DefaultBusyPoll = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// Epoll engine only: the loop threads to serve on, shared with other servers; the caller disposes it.
    /// Default null: the server makes its own (<see cref="BusyPoll"/>, one thread per core) and ends them when disposed.
    /// </summary>
    public EpollLoopGroup? LoopGroup { get; init; }

    /// <summary>Uring engine: single receives instead of capped multishot ones, as on a kernel before 6.17 (tests run both ways).</summary>
    internal bool UringSingleReceives { get; init; }

    /// <summary>Uring engine, for tests: the kernel refuses the first multishot receives, as one before 6.17 refuses their cap.</summary>
    internal bool UringCapRefused { get; init; }

    /// <summary>On stop, how long connections get to finish what they owe before they are reset. Default 5 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TcpConnectionOptions Connection { get; init; } = new();

    /// <summary>
    /// These options serving as the seed's board program does: <c>listen(3)</c>, <see cref="OneClientAtATime"/>,
    /// and reads no bigger than its <c>recv(1024)</c> (<see cref="TcpConnectionOptions.AsBoardReads"/>).
    /// </summary>
    public TcpServerOptions AsBoard() =>
        this with { Backlog = BoardBacklog, OneClientAtATime = true, Connection = Connection.AsBoardReads() };
}
