using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tcp;

/// <summary>
/// One TCP connection (optionally TLS), whichever engine drives it: its identity, counters, observer, echo
/// switch, bounded send queue and the close protocol. Reading and echoing are done by a driver — the async
/// receive loop (<see cref="AsyncReceiveLoop"/>, clients and the async engine) or an epoll loop
/// (<see cref="EpollDriver"/>) — over a <see cref="ConnectionIo"/> (plain socket or TLS). Reading waits for
/// the echo to be written, so a peer that sends but never reads is slowed down by TCP itself and the memory
/// held stays at one buffer. Its life is <see cref="ConnectionState"/>.
/// </summary>
public sealed class TcpConnection : IAsyncDisposable
{
    private readonly TcpConnectionOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();   // stops reading
    private readonly TlsServerOptions? _tlsServer;
    private IdleWatchdog? _watchdog;
    private bool _ownsWatchdog;
    private IConnectionDriver? _driver;
    private long _bytesIn;
    private long _bytesOut;
    private long _pendingSendBytes;
    private long _lastActivity = Environment.TickCount64;
    private int _state;
    private int _completed;
    private CloseReason _closeReason;
    private string? _closeDetail;
    private volatile bool _echo;
    private volatile bool _idle;
    private volatile bool _aborted;   // Abort() was called: writes stop too (the socket is gone)
    private volatile bool _rearm;     // Echo was set to true: the loop guard forgets its run

    /// <summary>Wraps a connected socket; pass an authenticated <see cref="SslStream"/> as <c>stream</c> for TLS.</summary>
    public TcpConnection(long id, Socket socket, TcpConnectionOptions options, IConnectionObserver observer, Stream? stream = null)
        : this(id, socket, options, observer, stream, tlsServer: null, watchdog: null)
    {
    }

    internal TcpConnection(long id, Socket socket, TcpConnectionOptions options, IConnectionObserver observer, Stream? stream, TlsServerOptions? tlsServer, IdleWatchdog? watchdog)
    {
        Id = id;
        _options = options;
        Observer = observer;
        _tlsServer = tlsServer;
        _watchdog = watchdog;
        _echo = options.Echo;
        socket.NoDelay = options.NoDelay;
        Io = stream is null && tlsServer is null ? new SocketIo(socket, options.PortableSockets) : new TlsStreamIo(socket, stream);
        _state = (int)(tlsServer is null ? ConnectionState.Open : ConnectionState.Handshaking);
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

    /// <summary>Where the connection is in its life.</summary>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Bytes posted with <see cref="Post"/> and not yet written.</summary>
    public long PendingSendBytes => Interlocked.Read(ref _pendingSendBytes);

    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsTls => Io.IsTls;

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

    // What the drivers share (internal): the I/O, the observer, the options and the loop guard.
    internal ConnectionIo Io { get; }
    internal IConnectionObserver Observer { get; }
    internal TcpConnectionOptions Options => _options;
    internal EchoLoopGuard? Guard { get; private set; }   // Made at the first short echo: a connection that never echoes one holds none.
    internal CancellationToken Reading => _closing.Token;
    internal bool Aborted => _aborted;
    internal bool CloseAsked => _closing.IsCancellationRequested;
    internal long LastActivityTicks => Interlocked.Read(ref _lastActivity);
    internal TimeSpan IdleTimeout => _options.IdleTimeout;

    /// <summary>Completes when the connection has closed and been reported; null before it started.</summary>
    internal Task? Running => _driver?.Running;

    /// <summary>
    /// Runs the receive loop until the peer closes, the connection fails or <see cref="Close"/> is called.
    /// Never throws for network failures: the outcome goes to <see cref="IConnectionObserver.OnClosed"/>.
    /// </summary>
    public Task RunAsync()
    {
        var loop = new AsyncReceiveLoop(this);
        _driver = loop;
        return loop.RunAsync(finished: null);
    }

    /// <summary>For a server on the async engine: runs the receive loop off the caller's thread, then calls <paramref name="finished"/>.</summary>
    internal void Start(Action<TcpConnection> finished)
    {
        var loop = new AsyncReceiveLoop(this);
        _driver = loop;
        loop.Start(finished);
    }

    /// <summary>For a server on the epoll engine: reports the connection, then hands it to <paramref name="loop"/>.</summary>
    internal void StartOn(EpollServerLoop loop, Action<TcpConnection> finished)
    {
        var driver = new EpollDriver(this, loop, finished);
        _driver = driver;
        driver.Start();
    }

    /// <summary>For a server on the io_uring engine: reports the connection, then hands it to <paramref name="loop"/>.</summary>
    internal void StartOn(UringServerLoop loop, Action<TcpConnection> finished)
    {
        var driver = new UringDriver(this, loop, finished);
        _driver = driver;
        driver.Start();
    }

    /// <summary>The TLS server handshake, if this connection has one: null when done (or none), else why it failed.</summary>
    internal async Task<string?> HandshakeAsync()
    {
        if (_tlsServer is null)
            return null;
        string? failure = await ((TlsStreamIo)Io).AcceptAsync(_tlsServer, _closing.Token).ConfigureAwait(false);
        if (failure is null)
            Interlocked.CompareExchange(ref _state, (int)ConnectionState.Open, (int)ConnectionState.Handshaking);
        return failure;
    }

    /// <summary>Starts the idle timeout's watch (when one is set): the server's watchdog, or one of its own.</summary>
    internal void WatchIdle()
    {
        if (_options.IdleTimeout <= TimeSpan.Zero || _options.IdleTimeout == Timeout.InfiniteTimeSpan)
            return;
        if (_watchdog is null)
        {
            _watchdog = new IdleWatchdog();
            _ownsWatchdog = true;
        }
        _watchdog.Watch(this);
    }

    internal void ForgetIdle()
    {
        _watchdog?.Forget(this);
        if (_ownsWatchdog)
            _watchdog!.Dispose();
    }

    /// <summary>Counts and reports bytes just read (before any echo).</summary>
    internal void Received(ReadOnlySpan<byte> data)
    {
        Interlocked.Add(ref _bytesIn, data.Length);
        Touch();
        Observer.OnReceived(this, data);
    }

    internal void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    internal void CountSent(int bytes) => Interlocked.Add(ref _bytesOut, bytes);

    /// <summary>
    /// The loop guard's look at a read about to be echoed. True when it completes a run of copies: the echo is
    /// held back for a probe instead of sent. No allocation per message.
    /// </summary>
    internal bool WithholdForProbe(ReadOnlySpan<byte> data)
    {
        if (!_options.EchoLoopGuard)
            return false;
        EchoLoopGuard? guard = Guard;
        if (guard is null)
        {
            if (data.Length > EchoLoopInfo.MaxPayloadLength)
                return false;
            guard = Guard = new EchoLoopGuard();
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
    /// The probe found a loop: echo off for this connection and the observer told. Returns the held echo, which
    /// the caller sends as the last one (rent from the shared pool).
    /// </summary>
    internal byte[] TripLoop(EchoLoopGuard guard, out int length)
    {
        EchoLoopInfo loop = guard.Trip(out byte[] held, out length);
        _echo = false;
        Observer.OnEchoLoop(this, loop);
        return held;
    }

    /// <summary>
    /// Sends bytes to the peer, in order with echoes and other sends. Completes when the kernel took them all.
    /// Throws <see cref="ConnectionClosedException"/> when the connection has closed or fails meanwhile.
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfGone();
        try
        {
            await WriteAsync(data, cancellationToken, reportSent: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Closed(ex);
        }
    }

    /// <summary>
    /// Queues a send without waiting for it. Returns false, sending nothing, when more than
    /// <see cref="TcpConnectionOptions.MaxPendingSendBytes"/> would be waiting for a peer that does not read.
    /// Failures are not thrown: the driver reports how the connection ended.
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
        catch (ConnectionClosedException)
        {
        }
        finally
        {
            Interlocked.Add(ref _pendingSendBytes, -data.Length);
        }
    }

    /// <summary>
    /// Stops sending (TLS close_notify, then FIN): the peer reads end-of-stream and can still send to us. Sends
    /// in progress finish first (at most <see cref="DrainTimeout"/>; a peer that does not read them gets no FIN).
    /// Throws <see cref="ConnectionClosedException"/> when the connection has closed or fails meanwhile.
    /// </summary>
    public async Task ShutdownSendAsync()
    {
        ThrowIfGone();
        try
        {
            if (!await _sendLock.WaitAsync(DrainTimeout).ConfigureAwait(false))
                return;
            try
            {
                await Io.CloseNotifyAsync(DrainTimeout).ConfigureAwait(false);
                Io.Socket.Shutdown(SocketShutdown.Send);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (TimeoutException)
        {
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw Closed(ex);
        }
    }

    private void ThrowIfGone()
    {
        if (_aborted || State == ConnectionState.Closed)
            throw Closed(null);
    }

    /// <summary>Why a send cannot go: how the connection ended if it has, else what the network said.</summary>
    private ConnectionClosedException Closed(Exception? ex)
    {
        if (State == ConnectionState.Closed)
            return new ConnectionClosedException(_closeReason, _closeDetail, ex);
        if (_aborted || _closing.IsCancellationRequested || ex is null or ObjectDisposedException or OperationCanceledException)
            return new ConnectionClosedException(ClosedByUsReason, null, ex);
        return new ConnectionClosedException(CloseReason.Reset, Describe(ex), ex);
    }

    /// <summary>
    /// Closes from this side, gracefully: reading stops, an echo being written is finished, then
    /// the peer gets FIN. The driver ends with <see cref="CloseReason.LocalClosed"/>.
    /// </summary>
    public void Close()
    {
        Cancel(_closing);
        _driver?.CloseRequested();
    }

    /// <summary>Closes at once with RST instead of FIN, dropping anything unsent.</summary>
    public void Abort()
    {
        _aborted = true;
        try { Io.Socket.LingerState = new LingerOption(true, 0); }
        catch (Exception ex) when (IsClosing(ex) || ex is SocketException) { }
        Cancel(_closing);
        // Closing the socket fails a write in progress at once (TLS ones too, underneath), so a peer that does
        // not read cannot hold it. A token per write would cost every connection a second CancellationTokenSource.
        Io.Socket.Dispose();
        _driver?.CloseRequested();
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

    // The send lock orders echoes and sends; the epoll driver takes it without waiting, or waits off its loop.
    internal bool TryTakeSendLock() => _sendLock.Wait(0);
    internal Task TakeSendLockAsync() => _sendLock.WaitAsync();
    internal void ReleaseSendLock() => _sendLock.Release();

    /// <summary>Writes all of <paramref name="data"/> in order with other writers; the echo path and sends.</summary>
    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct, bool reportSent = false)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Reported in wire order, before the bytes leave: a transcript never shows a reply before the send that caused it.
            if (reportSent)
                Observer.OnSent(this, data.Span);
            while (!data.IsEmpty)
            {
                int sent = Io.SendNow(data.Span);
                if (sent == 0)
                    sent = await Io.SendAsync(data, ct).ConfigureAwait(false);
                CountSent(sent);
                data = data[sent..];
            }
            Touch();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Open (or Handshaking) → Closing: reading has stopped.</summary>
    internal void BeginClosing()
    {
        int state = Volatile.Read(ref _state);
        while (state < (int)ConnectionState.Closing)
        {
            int seen = Interlocked.CompareExchange(ref _state, (int)ConnectionState.Closing, state);
            if (seen == state)
                return;
            state = seen;
        }
    }

    /// <summary>
    /// The close protocol once reading has stopped: queued sends drain (bounded: a peer that never reads gets RST),
    /// TLS says close_notify, and when we close first, FIN then read-to-FIN (<see cref="LingerAsync"/>).
    /// </summary>
    internal async Task FinishAsync(CloseReason reason)
    {
        BeginClosing();
        bool graceful = reason != CloseReason.Reset && !_aborted;
        if (graceful)
        {
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
        if (graceful && Io.IsTls)
        {
            try { await Io.CloseNotifyAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
            catch (Exception ex) when (IsClosing(ex) || ex is SocketException or IOException or TimeoutException or InvalidOperationException) { }
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
            Io.Socket.Shutdown(SocketShutdown.Send);
            while (await Io.Socket.ReceiveAsync(sink.AsMemory(), SocketFlags.None, deadline.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }
    }

    internal void Dispose(bool graceful)
    {
        if (graceful)
        {
            try { Io.Socket.Shutdown(SocketShutdown.Both); }
            catch (Exception ex) when (IsClosing(ex) || ex is SocketException) { }
        }
        Io.Dispose();
    }

    /// <summary>How a connection we closed ended: by the idle timeout, or otherwise by us.</summary>
    internal CloseReason ClosedByUsReason => _idle ? CloseReason.IdleTimeout : CloseReason.LocalClosed;

    /// <summary>Whether a failure is only our own close (or abort) reaching a call in progress.</summary>
    internal bool IsClosing(Exception ex) =>
        ex is ObjectDisposedException
        || (ex is OperationCanceledException or SocketException or IOException && (_closing.IsCancellationRequested || _aborted));

    internal static string Describe(Exception ex) => ex switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset by peer",
        IOException { InnerException: SocketException inner } => Describe(inner),
        _ => ex.Message,
    };

    /// <summary>→ Closed: the observer hears how the connection ended, exactly once.</summary>
    internal void Complete(CloseReason reason, string? detail)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return;
        _closeReason = reason;
        _closeDetail = detail;
        Volatile.Write(ref _state, (int)ConnectionState.Closed);
        Observer.OnClosed(this, reason, detail);
    }

    /// <summary>Why the server refused this connection (<see cref="CloseReason.Rejected"/>); null for a connection it served.</summary>
    public Rejection? Rejection { get; private set; }

    internal void Reject(Rejection why)
    {
        Rejection = why;
        Abort();
        Dispose(graceful: false);
        Complete(CloseReason.Rejected, why.ToString());
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
        Guard?.Dispose();
        _closing.Dispose();
        _sendLock.Dispose();
    }
}
