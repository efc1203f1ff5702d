using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tcp;

/// <summary>
/// One TCP connection (optionally TLS): a receive loop that (optionally) echoes every byte back
/// before reading more, plus ordered sends from other callers. Reading waits for the echo to be
/// written, so a peer that sends but never reads is slowed down by TCP itself and the memory held
/// stays at one buffer.
/// </summary>
public sealed partial class TcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly TcpConnectionOptions _options;
    private readonly IConnectionObserver _observer;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();   // stops reading
    private readonly TlsServerOptions? _tlsServer;
    private Stream? _stream;
    private long _bytesIn;
    private long _bytesOut;
    private long _pendingSendBytes;
    private long _lastActivity = Environment.TickCount64;
    private int _closeReported;
    private volatile bool _echo;
    private volatile bool _idle;
    private volatile bool _aborted;   // Abort() was called: writes stop too (the socket is gone)
    private volatile bool _rearm;     // Echo was set to true: the loop guard forgets its run
    private EchoLoopGuard? _guard;    // Made at the first short echo: a connection that never echoes one holds none.
    private readonly bool _plain;     // No TLS: reads and writes try the socket directly first
    private readonly bool _dontWait;  // ... with recv/send(MSG_DONTWAIT) (Linux), not .NET's non-blocking mode

    /// <summary>Wraps a connected socket; pass an authenticated <see cref="SslStream"/> as <c>stream</c> for TLS.</summary>
    public TcpConnection(long id, Socket socket, TcpConnectionOptions options, IConnectionObserver observer, Stream? stream = null)
        : this(id, socket, options, observer, stream, tlsServer: null)
    {
    }

    internal TcpConnection(long id, Socket socket, TcpConnectionOptions options, IConnectionObserver observer, Stream? stream, TlsServerOptions? tlsServer)
    {
        Id = id;
        _socket = socket;
        _options = options;
        _observer = observer;
        _stream = stream;
        _tlsServer = tlsServer;
        _echo = options.Echo;
        socket.NoDelay = options.NoDelay;
        // A plain socket's echo path reads and writes directly, going async only when the kernel is not ready.
        // That skips the async machinery per message, and a connection whose writes never wait never allocates a
        // send operation (~300 B that .NET keeps per socket). On Linux each call says MSG_DONTWAIT; elsewhere
        // the socket is made non-blocking. TLS streams need a blocking socket (NetworkStream requires it).
        _plain = stream is null && tlsServer is null;
        _dontWait = _plain && OperatingSystem.IsLinux();
        if (_plain && !_dontWait)
            socket.Blocking = false;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        ConnectedAt = DateTimeOffset.Now;
    }

    /// <summary>How long a graceful close waits for queued sends before it resets the connection.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>After closing first, how long to wait for the peer's FIN before the socket is released.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    public long Id { get; }
    public IPEndPoint RemoteEndPoint { get; }
    public IPEndPoint LocalEndPoint { get; }
    public DateTimeOffset ConnectedAt { get; }
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Bytes posted with <see cref="Post"/> and not yet written.</summary>
    public long PendingSendBytes => Interlocked.Read(ref _pendingSendBytes);

    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsTls => _stream is SslStream || _tlsServer is not null;

    /// <summary>
    /// Whether received bytes are sent back; can be switched while running. The echo loop guard sets it to false
    /// when it finds a loop (<see cref="IConnectionObserver.OnEchoLoop"/>); setting it to true turns echo back on
    /// and re-arms the guard.
    /// </summary>
    public bool Echo
    {
        get => _echo;
        set
        {
            if (value)
                _rearm = true;
            _echo = value;
        }
    }

    internal long LastActivityTicks => Interlocked.Read(ref _lastActivity);
    internal TimeSpan IdleTimeout => _options.IdleTimeout;

    private bool IsWatchedForIdle => _options.IdleTimeout > TimeSpan.Zero && _options.IdleTimeout != Timeout.InfiniteTimeSpan;

    /// <summary>The receive loop started by <see cref="Start"/>; null before.</summary>
    internal Task? Running { get => _loop is null ? _running : LoopRunning; private set => _running = value; }

    private Task? _running;

    /// <summary>
    /// Runs the receive loop until the peer closes, the connection fails or <see cref="Close"/> is called.
    /// Never throws for network failures: the outcome goes to <see cref="IConnectionObserver.OnClosed"/>.
    /// </summary>
    public Task RunAsync() => RunCoreAsync(finished: null);

    /// <summary>
    /// For a server: runs the receive loop off the caller's thread, then calls <paramref name="finished"/>.
    /// One state machine per connection (not a wrapper around <see cref="RunAsync"/>): an idle connection's
    /// memory is mostly such objects.
    /// </summary>
    internal void Start(Action<TcpConnection> finished) => Running = RunCoreAsync(finished);

    private async Task RunCoreAsync(Action<TcpConnection>? finished)
    {
        try
        {
            if (finished is not null)
                await Task.Yield(); // Off the accept loop.
            if (_tlsServer is not null)
            {
                string? failure = await TlsHandshake.AcceptAsync(_socket, _tlsServer, _closing.Token, s => _stream = s).ConfigureAwait(false);
                if (failure is not null)
                {
                    Dispose(graceful: false);
                    ReportClosed(CloseReason.HandshakeFailed, failure);
                    return;
                }
            }
            bool watched = IsWatchedForIdle;
            if (watched)
                IdleWatchdog.Watch(this);
            _observer.OnConnected(this);
            CloseReason reason = CloseReason.RemoteClosed;
            string? detail = null;
            CancellationToken reading = _closing.Token;
            try
            {
                while (true)
                {
                    if (_guard is { Probing: true })
                        await ProbeAsync(ReceiveAsync(Memory<byte>.Empty, reading)).ConfigureAwait(false);
                    else if (_options.WaitForDataBeforeAllocatingBuffer)
                        await ReceiveAsync(Memory<byte>.Empty, reading).ConfigureAwait(false);

                    byte[] buffer = ArrayPool<byte>.Shared.Rent(_options.ReceiveBufferSize);
                    try
                    {
                        int read = _plain && _options.WaitForDataBeforeAllocatingBuffer
                            ? ReceiveNow(buffer)
                            : await ReceiveAsync(buffer.AsMemory(), reading).ConfigureAwait(false);
                        if (read < 0)
                            continue; // Woken without data after all: wait again.
                        if (read == 0)
                            break;
                        Interlocked.Add(ref _bytesIn, read);
                        Volatile.Write(ref _lastActivity, Environment.TickCount64);
                        _observer.OnReceived(this, buffer.AsSpan(0, read));
                        // The echo finishes even when a graceful close begins meanwhile: only an abort stops it.
                        if (_echo && !WithholdForProbe(buffer.AsSpan(0, read)))
                            await WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (Exception ex) when (IsClosing(ex))
            {
                reason = ClosedByUsReason;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                reason = CloseReason.Reset;
                detail = Describe(ex);
            }
            finally
            {
                if (watched)
                    IdleWatchdog.Forget(this);
                _guard?.DropWithheld();
                await FinishAsync(reason).ConfigureAwait(false);
                ReportClosed(reason, detail);
            }
        }
        finally
        {
            finished?.Invoke(this);
        }
    }

    /// <summary>
    /// The loop guard's look at a read about to be echoed (receive path only). True when it completes a run of
    /// copies: the echo is held back for a probe instead of sent. No allocation per message.
    /// </summary>
    private bool WithholdForProbe(ReadOnlySpan<byte> data)
    {
        if (!_options.EchoLoopGuard)
            return false;
        EchoLoopGuard? guard = _guard;
        if (guard is null)
        {
            if (data.Length > EchoLoopInfo.MaxPayloadLength)
                return false;
            guard = _guard = new EchoLoopGuard();
        }
        if (_rearm)
        {
            _rearm = false;
            guard.Rearm();
        }
        long now = Environment.TickCount64;
        if (!guard.Repeated(data, now))
            return false;
        guard.Withhold(data, now);
        return true;
    }

    /// <summary>
    /// Async engine and clients: a probe is on, and <paramref name="ready"/> is the zero-byte read that says the
    /// peer sent more. Whatever comes first decides: more data (or the end of the stream) means the peer sends on
    /// its own, so the held echo goes out before anything newer; the probe's time running out means a loop.
    /// </summary>
    private async Task ProbeAsync(ValueTask<int> ready)
    {
        EchoLoopGuard guard = _guard!;
        Task<int> data = ready.AsTask();
        bool loop = await Task.WhenAny(data, Task.Delay(guard.ProbeTimeout)).ConfigureAwait(false) != data;
        byte[] held;
        int length;
        if (loop)
        {
            held = TripLoop(guard, out length);
        }
        else
        {
            try
            {
                await data.ConfigureAwait(false);
            }
            catch
            {
                guard.DropWithheld();
                throw;
            }
            held = guard.Clear(out length);
        }
        try
        {
            await WriteAsync(held.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
        await data.ConfigureAwait(false);
    }

    /// <summary>
    /// The probe found a loop: echo off for this connection and the observer told. Returns the held echo, which
    /// the caller sends as the last one (rent from the shared pool).
    /// </summary>
    private byte[] TripLoop(EchoLoopGuard guard, out int length)
    {
        EchoLoopInfo loop = guard.Trip(out byte[] held, out length);
        _echo = false;
        _observer.OnEchoLoop(this, loop);
        return held;
    }

    /// <summary>Sends bytes to the peer, in order with echoes and other sends. Completes when the kernel took them all.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        try
        {
            if (_aborted)
                throw new OperationCanceledException("the connection was aborted");
            await WriteAsync(data, cancellationToken, reportSent: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (_aborted && ex is SocketException or IOException or ObjectDisposedException)
        {
            // What an abort does to a send in progress, told the way cancellation is.
            throw new OperationCanceledException("the connection was aborted", ex);
        }
    }

    /// <summary>
    /// Queues a send without waiting for it. Returns false, sending nothing, when more than
    /// <see cref="TcpConnectionOptions.MaxPendingSendBytes"/> would be waiting for a peer that does not read.
    /// Failures are not thrown: the receive loop reports how the connection ended.
    /// </summary>
    public bool Post(ReadOnlyMemory<byte> data)
    {
        if (Interlocked.Add(ref _pendingSendBytes, data.Length) > _options.MaxPendingSendBytes && data.Length > 0)
        {
            Interlocked.Add(ref _pendingSendBytes, -data.Length);
            return false;
        }
        _ = PostCoreAsync(data);
        return true;
    }

    private async Task PostCoreAsync(ReadOnlyMemory<byte> data)
    {
        try
        {
            await SendAsync(data).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClosing(ex) || ex is SocketException or IOException)
        {
        }
        finally
        {
            Interlocked.Add(ref _pendingSendBytes, -data.Length);
        }
    }

    /// <summary>Stops sending (TLS close_notify, then FIN): the peer reads end-of-stream and can still send to us.</summary>
    public async Task ShutdownSendAsync()
    {
        try
        {
            if (!await _sendLock.WaitAsync(DrainTimeout).ConfigureAwait(false))
                return;
            try
            {
                if (_stream is SslStream ssl)
                    await ssl.ShutdownAsync().WaitAsync(DrainTimeout).ConfigureAwait(false);
                _socket.Shutdown(SocketShutdown.Send);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (IsClosing(ex) || ex is SocketException or IOException or TimeoutException)
        {
        }
    }

    /// <summary>
    /// Closes from this side, gracefully: reading stops, an echo being written is finished, then
    /// the peer gets FIN. The receive loop ends with <see cref="CloseReason.LocalClosed"/>.
    /// </summary>
    public void Close()
    {
        Cancel(_closing);
        _loop?.Post(this, EpollRequest.Close);
    }

    /// <summary>Closes at once with RST instead of FIN, dropping anything unsent.</summary>
    public void Abort()
    {
        _aborted = true;
        try { _socket.LingerState = new LingerOption(true, 0); }
        catch (Exception ex) when (IsClosing(ex) || ex is SocketException) { }
        Cancel(_closing);
        // Closing the socket fails a write in progress at once (TLS ones too, underneath), so a peer that does
        // not read cannot hold it. A token per write would cost every connection a second CancellationTokenSource.
        _socket.Dispose();
        if (_loop is not null && _loopState != LoopState.Ended)
            _loop.Post(this, EpollRequest.Close);
    }

    internal void CloseIdle()
    {
        _idle = true;
        Close();
    }

    private static void Cancel(CancellationTokenSource cts)
    {
        try { cts.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Bytes read, 0 at end of stream, −1 when nothing is waiting (plain sockets only).</summary>
    private int ReceiveNow(Span<byte> buffer) =>
        _dontWait ? DontWaitSocket.ReceiveNow(_socket.SafeHandle, buffer) : _socket.ReceiveNow(buffer);

    /// <summary>Bytes the kernel took, 0 when its buffer is full (plain sockets only).</summary>
    private int SendNow(ReadOnlySpan<byte> data) =>
        _dontWait ? DontWaitSocket.SendNow(_socket.SafeHandle, data) : _socket.SendNow(data);

    private ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        _stream is null ? _socket.ReceiveAsync(buffer, SocketFlags.None, ct) : _stream.ReadAsync(buffer, ct);

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct, bool reportSent = false)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Reported in wire order, before the bytes leave: a transcript never shows a reply before the send that caused it.
            if (reportSent)
                _observer.OnSent(this, data.Span);
            if (_stream is not null)
            {
                await _stream.WriteAsync(data, ct).ConfigureAwait(false);
                Interlocked.Add(ref _bytesOut, data.Length);
            }
            else
            {
                while (!data.IsEmpty)
                {
                    int sent = _plain ? SendNow(data.Span) : 0;
                    if (sent == 0)
                        sent = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
                    Interlocked.Add(ref _bytesOut, sent);
                    data = data[sent..];
                }
            }
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task FinishAsync(CloseReason reason)
    {
        bool graceful = reason != CloseReason.Reset && !_aborted;
        if (graceful)
        {
            // Let sends already queued go out first (bounded: a peer that never reads gets RST), then FIN.
            bool drained = false;
            try
            {
                bool acquired = await _sendLock.WaitAsync(DrainTimeout).ConfigureAwait(false);
                if (acquired)
                    _sendLock.Release();
                drained = acquired && !_aborted;
            }
            catch (Exception ex) when (IsClosing(ex)) { }
            if (!drained)
            {
                Abort();
                graceful = false;
            }
        }
        if (graceful && _stream is SslStream ssl)
        {
            try { await ssl.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
            catch (Exception ex) when (IsClosing(ex) || ex is SocketException or IOException or TimeoutException) { }
        }
        if (graceful && reason != CloseReason.RemoteClosed)
            await LingerAsync().ConfigureAwait(false);
        Dispose(graceful);
    }

    /// <summary>
    /// We close first: send FIN, then read and drop what the peer still sends until its FIN (at most
    /// <see cref="LingerTimeout"/>). Closing with unread data would make the kernel send RST, and an RST can
    /// destroy echoes the peer has not read yet.
    /// </summary>
    private async Task LingerAsync()
    {
        using var deadline = new CancellationTokenSource(LingerTimeout);
        byte[] sink = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            while (await _socket.ReceiveAsync(sink.AsMemory(), SocketFlags.None, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }
    }

    private void Dispose(bool graceful)
    {
        if (graceful)
        {
            try { _socket.Shutdown(SocketShutdown.Both); }
            catch (Exception ex) when (IsClosing(ex) || ex is SocketException) { }
        }
        _stream?.Dispose();
        _socket.Dispose();
    }

    /// <summary>How a connection we closed ended: by the idle timeout, or otherwise by us.</summary>
    private CloseReason ClosedByUsReason => _idle ? CloseReason.IdleTimeout : CloseReason.LocalClosed;

    private bool IsClosing(Exception ex) =>
        ex is ObjectDisposedException
        || (ex is OperationCanceledException or SocketException or IOException && (_closing.IsCancellationRequested || _aborted));

    private static string Describe(Exception ex) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset by peer",
        IOException { InnerException: SocketException inner } => Describe(inner),
        _ => ex.Message,
    };

    private void ReportClosed(CloseReason reason, string? detail)
    {
        if (Interlocked.Exchange(ref _closeReported, 1) == 0)
            _observer.OnClosed(this, reason, detail);
    }

    internal void Reject(string detail)
    {
        Abort();
        Dispose(graceful: false);
        ReportClosed(CloseReason.Rejected, detail);
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    internal void Release()
    {
        Abort();
        Dispose(graceful: false);
        _guard?.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
    }
}
