using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace SocketLab.Core.Tcp;

/// <summary>
/// One TCP connection: a receive loop that (optionally) echoes every byte back before reading more,
/// plus serialized sends from other callers. Reading waits for the echo to be written, so a peer that
/// sends but never reads is slowed down by TCP itself and the memory held stays at one buffer.
/// </summary>
public sealed class TcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TcpConnectionOptions _options;
    private readonly IConnectionObserver _observer;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private long _bytesIn;
    private long _bytesOut;
    private int _closeReported;
    private volatile bool _echo;

    public TcpConnection(long id, Socket socket, TcpConnectionOptions options, IConnectionObserver observer)
    {
        Id = id;
        _socket = socket;
        _options = options;
        _observer = observer;
        _echo = options.Echo;
        socket.NoDelay = options.NoDelay;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ConnectedAt = DateTimeOffset.Now;
    }

    public long Id { get; }
    public IPEndPoint RemoteEndPoint { get; }
    public IPEndPoint LocalEndPoint { get; }
    public DateTimeOffset ConnectedAt { get; }
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Whether received bytes are sent back; can be switched while running.</summary>
    public bool Echo { get => _echo; set => _echo = value; }

    /// <summary>Free for the owner: the UI keeps per-connection state here.</summary>
    public object? Tag { get; set; }

    /// <summary>
    /// Runs the receive loop until the peer closes, the connection fails or <see cref="Close"/> is called.
    /// Never throws for network failures: the outcome goes to <see cref="IConnectionObserver.OnClosed"/>.
    /// </summary>
    public async Task RunAsync()
    {
        _observer.OnConnected(this);
        CloseReason reason = CloseReason.RemoteClosed;
        string? detail = null;
        CancellationToken ct = _closing.Token;
        try
        {
            while (true)
            {
                if (_options.WaitForDataBeforeAllocatingBuffer)
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);

                byte[] buffer = ArrayPool<byte>.Shared.Rent(_options.ReceiveBufferSize);
                try
                {
                    int read = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct).ConfigureAwait(false);
                    if (read == 0)
                        break;
                    Interlocked.Add(ref _bytesIn, read);
                    _observer.OnReceived(this, buffer.AsSpan(0, read));
                    if (_echo)
                        await WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            reason = CloseReason.LocalClosed;
        }
        catch (ObjectDisposedException)
        {
            reason = CloseReason.LocalClosed;
        }
        catch (SocketException ex) when (_closing.IsCancellationRequested)
        {
            reason = CloseReason.LocalClosed;
            detail = ex.SocketErrorCode.ToString();
        }
        catch (SocketException ex)
        {
            reason = CloseReason.Reset;
            detail = ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message;
        }
        finally
        {
            Shutdown(reason);
            ReportClosed(reason, detail);
        }
    }

    /// <summary>Sends bytes to the peer, in order with echoes and other sends. Completes when the kernel took them all.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        await WriteAsync(data, linked.Token).ConfigureAwait(false);
        _observer.OnSent(this, data.Span);
    }

    /// <summary>Stops sending: the peer reads end-of-stream, and can still send to us.</summary>
    public void ShutdownSend()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Closes the connection from this side; the receive loop ends with <see cref="CloseReason.LocalClosed"/>.</summary>
    public void Close()
    {
        try { _closing.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Closes at once with RST instead of FIN (SO_LINGER 0), for rejecting peers.</summary>
    internal void Abort()
    {
        try { _socket.LingerState = new LingerOption(true, 0); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        Close();
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (!data.IsEmpty)
            {
                int sent = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                Interlocked.Add(ref _bytesOut, sent);
                data = data[sent..];
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Shutdown(CloseReason reason)
    {
        if (reason != CloseReason.Reset)
        {
            try { _socket.Shutdown(SocketShutdown.Both); }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }
        _socket.Dispose();
    }

    private void ReportClosed(CloseReason reason, string? detail)
    {
        if (Interlocked.Exchange(ref _closeReported, 1) == 0)
            _observer.OnClosed(this, reason, detail);
    }

    internal void ReportRejected(string detail)
    {
        Shutdown(CloseReason.Rejected);
        ReportClosed(CloseReason.Rejected, detail);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _socket.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
