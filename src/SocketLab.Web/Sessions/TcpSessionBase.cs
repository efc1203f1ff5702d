using System.Net.Sockets;
using SocketLab.Core.Capture;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Board;

namespace SocketLab.Web.Sessions;

/// <summary>What TCP server and client sessions do alike with a connection's bytes: log, OLED, echo note, auto-reply.</summary>
public abstract class TcpSessionBase(string id, SessionKind kind, SessionServices services)
    : Session(id, kind, services), IConnectionObserver
{
    private readonly SwitchableObserver _recorder = new();
    private readonly SwitchableObserver _saver = new();
    private ObserverFanout? _observer;

    /// <summary>What a connection reports to: this session, then the transcript recorder when recording.</summary>
    protected IConnectionObserver Observer => _observer ??= new ObserverFanout(this, _recorder, _saver);

    protected override void PlugSaver(ReceivedFiles? saver) => _saver.Exchange(saver);

    /// <summary>"server" or "client": the transcript's role, as the CLI writes it.</summary>
    protected abstract string TranscriptRole { get; }

    /// <summary>The connections open now (a recording started mid-connection writes an open event for each).</summary>
    protected abstract IEnumerable<TcpConnection> OpenConnections();

    protected override void PlugRecorder(TranscriptWriter? writer)
    {
        var recorder = writer is null ? null : new TcpTranscriptRecorder(writer, TranscriptRole);
        _recorder.Exchange(recorder);
        if (recorder is not null)
            foreach (TcpConnection c in OpenConnections())
                recorder.OnConnected(c);
    }

    /// <summary>The seed's OLED screen for received text (server and client differ).</summary>
    protected abstract byte[] DrawReceived(IBoardDisplay oled, string text);

    public virtual void OnConnected(TcpConnection connection) { }

    public virtual void OnClosed(TcpConnection connection, CloseReason reason, string? detail) { }

    /// <summary>The loop guard turned this connection's echo off: the other end echoes too (a board, another SocketLab).</summary>
    public abstract void OnEchoLoop(TcpConnection connection, EchoLoopInfo loop);

    /// <summary>A close reason as a <see cref="Notice"/> reason code.</summary>
    protected static string WhyClosed(CloseReason reason) => reason switch
    {
        CloseReason.RemoteClosed => "byPeer",
        CloseReason.Reset => "reset",
        CloseReason.Rejected => "rejected",
        _ => "here",
    };

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data)
    {
        string peer = EndpointText.HostPort(connection.RemoteEndPoint);
        LogEntry rx = Record(LogDirection.Rx, peer, data);
        DrawOled(o => DrawReceived(o, rx.Text));
        // TcpConnection writes the echo right after this call returns; log it now, in order.
        if (connection.Echo)
            RecordEcho(rx, data);
        foreach (byte[] reply in OnMessages(peer, data, rx.Text))
            _ = SendQuietlyAsync(connection, reply);
    }

    public void OnSent(TcpConnection connection, ReadOnlySpan<byte> data) =>
        Record(LogDirection.Tx, EndpointText.HostPort(connection.RemoteEndPoint), data);

    protected static async Task SendQuietlyAsync(TcpConnection connection, byte[] data, CancellationToken cancellationToken = default)
    {
        try { await connection.SendAsync(data, cancellationToken).ConfigureAwait(false); }
        catch (ConnectionClosedException)
        {
            // The connection is closing; its receive loop reports why.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
