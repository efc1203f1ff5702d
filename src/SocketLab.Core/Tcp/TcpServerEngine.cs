namespace SocketLab.Core.Tcp;

/// <summary>How a <see cref="TcpServer"/> waits for its connections' data.</summary>
public enum TcpServerEngine
{
    /// <summary><see cref="Epoll"/> where it can run (Linux on x64/arm64, plain TCP), else <see cref="Async"/>. The default.</summary>
    Auto,

    /// <summary>
    /// SocketLab's own epoll loops, one thread per core: less CPU per message and much less memory per idle
    /// connection. Observers are called on those threads and must not block. Linux, plain TCP only.
    /// </summary>
    Epoll,

    /// <summary>.NET's async sockets (a receive loop per connection). Any platform, and TLS.</summary>
    Async,

    /// <summary>
    /// SocketLab's own io_uring loops, one ring per core: completions instead of readiness, echoes sent from the
    /// buffer they arrived in, one <c>io_uring_enter</c> per loop turn. Linux 6.0+ where io_uring is allowed; plain TCP.
    /// </summary>
    Uring,
}
