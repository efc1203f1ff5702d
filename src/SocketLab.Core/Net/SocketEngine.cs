namespace SocketLab.Core.Net;

/// <summary>
/// What waits for a set of sockets' data: a <see cref="Tcp.TcpServer"/>'s connections or a bench's
/// load. One enum for both, so the CLI's <c>--engine</c> and the library mean the same words.
/// </summary>
public enum SocketEngine
{
    /// <summary><see cref="Epoll"/> where it can run (Linux on x64/arm64, plain TCP), else <see cref="Async"/>. The default.</summary>
    Auto,

    /// <summary>
    /// SocketLab's own epoll loops, non-blocking reads and writes: less CPU per message and much less memory
    /// per idle connection. A server's observers are called on those threads and must not block. Linux, plain TCP only.
    /// </summary>
    Epoll,

    /// <summary>.NET's async sockets, one loop per connection. Any platform, and the only one for TLS.</summary>
    Async,

    /// <summary>
    /// SocketLab's own io_uring loops, one ring per core: completions instead of readiness, one <c>io_uring_enter</c>
    /// per loop turn. Linux 6.0+ where io_uring is allowed; plain TCP. The bench generator's <see cref="Auto"/>
    /// picks it where the kernel allows; a server's <see cref="Auto"/> still picks <see cref="Epoll"/>.
    /// </summary>
    Uring,
}
