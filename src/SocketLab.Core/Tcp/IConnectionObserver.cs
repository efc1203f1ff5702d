using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Receives a connection's events. Calls come from socket threads and must return quickly:
/// copy what you need and hand slow work (console, UI) to another thread.
/// </summary>
public interface IConnectionObserver
{
    void OnConnected(TcpConnection connection) { }

    /// <summary>Bytes just read, before they are echoed. The span is only valid during the call.</summary>
    void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) { }

    /// <summary>Bytes written by <see cref="TcpConnection.SendAsync"/> (not echoes). Valid only during the call.</summary>
    void OnSent(TcpConnection connection, ReadOnlySpan<byte> data) { }

    /// <summary>
    /// The echo loop guard turned this connection's echo off (<see cref="TcpConnection.Echo"/> is now false): the
    /// peer was sending back what we echoed. The bytes were reported to <see cref="OnReceived"/> as usual.
    /// </summary>
    void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop) { }

    void OnClosed(TcpConnection connection, CloseReason reason, string? detail) { }
}
