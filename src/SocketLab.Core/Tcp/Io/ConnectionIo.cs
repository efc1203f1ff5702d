using System.Net.Sockets;

namespace SocketLab.Core.Tcp;

/// <summary>
/// How a connection's bytes move: straight on the socket (<see cref="SocketIo"/>) or through TLS
/// (<see cref="TlsStreamIo"/>). Whoever drives the connection (the async receive loop or an epoll loop)
/// reads and writes through this; the close protocol (drain, FIN, linger) stays in <see cref="TcpConnection"/>.
/// </summary>
internal abstract class ConnectionIo
{
    protected ConnectionIo(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>
    /// True when <see cref="ReceiveNow"/> and <see cref="SendNow"/> work: plain sockets read and write directly
    /// and go async only when the kernel is not ready, which skips the async machinery per message.
    /// </summary>
    public abstract bool CanTryNow { get; }

    public abstract bool IsTls { get; }

    /// <summary>Bytes read, 0 at end of stream, −1 when nothing is waiting. Only when <see cref="CanTryNow"/>.</summary>
    public virtual int ReceiveNow(Span<byte> buffer) => throw new NotSupportedException();

    /// <summary>Bytes the kernel took, 0 when its buffer is full (always 0 unless <see cref="CanTryNow"/>).</summary>
    public virtual int SendNow(ReadOnlySpan<byte> data) => 0;

    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct);

    /// <summary>Writes some of <paramref name="data"/> (all of it through TLS); returns how many bytes went.</summary>
    public abstract ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>Tells the peer we are done sending, within <paramref name="timeout"/>: TLS close_notify (then FIN from the caller).</summary>
    public virtual Task CloseNotifyAsync(TimeSpan timeout) => Task.CompletedTask;

    public virtual void Dispose() => Socket.Dispose();
}
