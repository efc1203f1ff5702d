namespace SocketLab.Core.Tcp;

/// <summary>Per-connection behaviour shared by accepted and outgoing connections.</summary>
public sealed record TcpConnectionOptions
{
    /// <summary>Send back every received byte, unchanged (the seed's behaviour). Default true.</summary>
    public bool Echo { get; init; } = true;

    /// <summary>
    /// While echoing, watch for an echo loop (the peer echoes too, so one message bounces between the two ends
    /// for ever) and break it: echo is turned off for this connection only and the observer hears
    /// <see cref="IConnectionObserver.OnEchoLoop"/>. See <see cref="Net.EchoLoopInfo"/> for what counts as a loop.
    /// Default true.
    /// </summary>
    public bool EchoLoopGuard { get; init; } = true;

    /// <summary>
    /// Size of the pooled buffer rented for one read. Default 32 KiB (as Go's io.Copy): against 16 KiB it took a
    /// third less server CPU per 64 KiB echo; 64 KiB made one deep pipelined connection slower (its writes wait more).
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    public const int DefaultReceiveBufferSize = 32 * 1024;

    /// <summary>
    /// Wait for data with a zero-byte read before renting a buffer, so an idle connection holds
    /// no buffer at all (Kestrel's WaitForDataBeforeAllocatingBuffer). Default true.
    /// </summary>
    public bool WaitForDataBeforeAllocatingBuffer { get; init; } = true;

    /// <summary>Disable Nagle so small echoes leave at once. Default true.</summary>
    public bool NoDelay { get; init; } = true;

    /// <summary>
    /// Bytes that <see cref="TcpConnection.Post"/> may queue for a peer that is not reading;
    /// beyond this a post is refused instead of growing memory. Default 1 MiB.
    /// </summary>
    public long MaxPendingSendBytes { get; init; } = DefaultMaxPendingSendBytes;

    public const long DefaultMaxPendingSendBytes = 1024 * 1024;

    /// <summary>
    /// Use only the socket calls every OS has: .NET's non-blocking mode instead of Linux's <c>MSG_DONTWAIT</c>, and
    /// for a server the async engine instead of epoll. That is the path Windows and macOS always run; setting it on
    /// Linux tests that path (the CLI sets it when <c>SOCKETLAB_PORTABLE_SOCKETS=1</c>). Default false.
    /// </summary>
    public bool PortableSockets { get; init; }

    /// <summary>Close a connection after this long with nothing received or sent. Default: never.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Reads of at most 1024 bytes, so each is one of the pieces the seed's <c>recv(1024)</c> gets (for <see cref="BoardStrictObserver"/>).</summary>
    public TcpConnectionOptions AsBoardReads() => this with { ReceiveBufferSize = Text.PythonBytes.BoardRecvSize };
}
