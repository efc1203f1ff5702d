using System.Buffers;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>
/// The async engine's driver, and every client's: one receive loop per connection that reads (after a
/// zero-byte read, so an idle connection holds no buffer), reports, and echoes before reading more.
/// Closing cancels the connection's reading token, which ends the loop; the loop then runs the close protocol.
/// </summary>
internal sealed class AsyncReceiveLoop(TcpConnection c) : IConnectionDriver
{
    private Task? _running;

    public Task Running => _running ?? Task.CompletedTask;

    public void CloseRequested()
    {
        // The connection's reading token was cancelled: the pending read ends by itself.
    }

    /// <summary>For a server: runs off the caller's thread, then calls <paramref name="finished"/>.</summary>
    public void Start(Action<TcpConnection> finished) => _running = RunAsync(finished);

    /// <summary>One state machine per connection (not a wrapper task): an idle connection's memory is mostly such objects.</summary>
    public Task RunAsync(Action<TcpConnection>? finished)
    {
        Task run = RunCoreAsync(finished);
        _running ??= run;
        return run;
    }

    private async Task RunCoreAsync(Action<TcpConnection>? finished)
    {
        try
        {
            if (finished is not null)
                await Task.Yield(); // Off the accept loop.
            string? failure = await c.HandshakeAsync().ConfigureAwait(false);
            if (failure is not null)
            {
                c.Dispose(graceful: false);
                c.Complete(CloseReason.HandshakeFailed, failure);
                return;
            }
            c.WatchIdle();
            c.Observer.OnConnected(c);
            CloseReason reason = CloseReason.RemoteClosed;
            string? detail = null;
            CancellationToken reading = c.Reading;
            TcpConnectionOptions options = c.Options;
            try
            {
                while (true)
                {
                    if (c.Guard is { Probing: true })
                        await ProbeAsync(c.Io.ReceiveAsync(Memory<byte>.Empty, reading)).ConfigureAwait(false);
                    else if (options.WaitForDataBeforeAllocatingBuffer)
                        await c.Io.ReceiveAsync(Memory<byte>.Empty, reading).ConfigureAwait(false);

                    byte[] buffer = ArrayPool<byte>.Shared.Rent(options.ReceiveBufferSize);
                    try
                    {
                        int read = c.Io.CanTryNow && options.WaitForDataBeforeAllocatingBuffer
                            ? c.Io.ReceiveNow(buffer)
                            : await c.Io.ReceiveAsync(buffer.AsMemory(), reading).ConfigureAwait(false);
                        if (read < 0)
                            continue; // Woken without data after all: wait again.
                        if (read == 0)
                            break;
                        c.Received(buffer.AsSpan(0, read));
                        // The echo finishes even when a graceful close begins meanwhile: only an abort stops it.
                        if (c.Echo && !c.WithholdForProbe(buffer.AsSpan(0, read)))
                            await c.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (Exception ex) when (c.IsClosing(ex))
            {
                reason = c.ClosedByUsReason;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                reason = CloseReason.Reset;
                detail = TcpConnection.Describe(ex);
            }
            finally
            {
                c.ForgetIdle();
                c.Guard?.DropWithheld();
                await c.FinishAsync(reason).ConfigureAwait(false);
                c.Complete(reason, detail);
            }
        }
        finally
        {
            finished?.Invoke(c);
        }
    }

    /// <summary>
    /// A probe is on, and <paramref name="ready"/> is the zero-byte read that says the peer sent more. Whatever
    /// comes first decides: more data (or the end of the stream) means the peer sends on its own, so the held
    /// echo goes out before anything newer; the probe's time running out means a loop.
    /// </summary>
    private async Task ProbeAsync(ValueTask<int> ready)
    {
        EchoLoopGuard guard = c.Guard!;
        Task<int> data = ready.AsTask();
        bool loop = await Task.WhenAny(data, Task.Delay(guard.ProbeTimeout)).ConfigureAwait(false) != data;
        byte[] held;
        int length;
        if (loop)
        {
            held = c.TripLoop(guard, out length);
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
            await c.WriteAsync(held.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
        await data.ConfigureAwait(false);
    }
}
