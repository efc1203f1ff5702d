using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Plain TCP on the socket itself. On Linux each direct call says <c>MSG_DONTWAIT</c> (<see cref="DontWaitSocket"/>),
/// so the socket never needs .NET's non-blocking mode and its per-socket async state; elsewhere — or when
/// <see cref="TcpConnectionOptions.PortableSockets"/> asks for what Windows and macOS run — the socket is made
/// non-blocking (<see cref="NonBlockingSocket"/>).
/// </summary>
internal sealed class SocketIo : ConnectionIo
{
    private readonly bool _dontWait;

    public SocketIo(Socket socket, bool portable) : base(socket)
    {
        _dontWait = !portable && OperatingSystem.IsLinux();
        if (!_dontWait)
            socket.Blocking = false;
    }

    public override bool CanTryNow => true;
    public override bool IsTls => false;

    public override int ReceiveNow(Span<byte> buffer) =>
        _dontWait ? DontWaitSocket.ReceiveNow(Socket.SafeHandle, buffer) : Socket.ReceiveNow(buffer);

    public override int SendNow(ReadOnlySpan<byte> data) =>
        _dontWait ? DontWaitSocket.SendNow(Socket.SafeHandle, data) : Socket.SendNow(data);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        Socket.ReceiveAsync(buffer, SocketFlags.None, ct);

    public override ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct) =>
        Socket.SendAsync(data, SocketFlags.None, ct);
}
