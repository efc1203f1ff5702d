using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Web.Board;

namespace SocketLab.Web.Sessions;

/// <summary>What TCP server and client sessions do alike with a connection's bytes: log, OLED, echo note, auto-reply.</summary>
public abstract class TcpSessionBase(string id, SessionKind kind, SessionServices services)
    : Session(id, kind, services), IConnectionObserver
{
    /// <summary>The seed's OLED screen for received text (server and client differ).</summary>
    protected abstract byte[] DrawReceived(IBoardDisplay oled, string text);

    public virtual void OnConnected(TcpConnection connection) { }

    public virtual void OnClosed(TcpConnection connection, CloseReason reason, string? detail) { }

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data)
    {
        string peer = EndpointText.HostPort(connection.RemoteEndPoint);
        LogEntry rx = Record(LogDirection.Rx, peer, data);
        DrawOled(o => DrawReceived(o, rx.Text));
        // TcpConnection writes the echo right after this call returns; log it now, in order.
        if (connection.Echo)
            RecordEcho(rx, data);
        byte[]? reply = Rules.Answer(data, rx.Text, Encoding, DateTimeOffset.Now);
        if (reply is not null)
            _ = SendQuietlyAsync(connection, reply);
    }

    public void OnSent(TcpConnection connection, ReadOnlySpan<byte> data) =>
        Record(LogDirection.Tx, EndpointText.HostPort(connection.RemoteEndPoint), data);

    protected static async Task SendQuietlyAsync(TcpConnection connection, byte[] data, CancellationToken cancellationToken = default)
    {
        try { await connection.SendAsync(data, cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is closing; its receive loop reports why.
        }
    }
}
