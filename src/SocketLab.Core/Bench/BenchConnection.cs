using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace SocketLab.Core.Bench;

/// <summary>
/// One loaded connection of a bench run. Each loop is a single long-lived async method over
/// <see cref="Socket"/>'s ValueTask calls, so a message costs no allocation: sends are slices of the
/// shared <see cref="EchoPattern"/>, receives land in this connection's one buffer and are compared there.
/// </summary>
internal sealed class BenchConnection : IBenchLoad
{
    private readonly Socket _socket;
    private readonly Stream? _tls;
    private readonly BenchRun _run;
    private readonly EchoTally _tally;
    private readonly int _size;
    private readonly int _depth;
    private readonly byte[] _buffer;
    private readonly Channel<int>? _credits;
    private readonly CancellationTokenSource? _senderDone;
    private long _committed;
    private volatile bool _receiverDone;
    private int _failed;

    public BenchConnection(long id, Socket socket, BenchRun run, int bufferSize, Stream? tls = null)
    {
        _socket = socket;
        _tls = tls;
        _run = run;
        _tally = new EchoTally(id, run);
        _size = run.Options.Size;
        _depth = run.Options.Depth;
        _buffer = new byte[bufferSize];
        if (_depth > 1)
        {
            _credits = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _senderDone = new CancellationTokenSource();
        }
    }

    public Socket Socket => _socket;

    public long Completed => _tally.Completed;

    public long Measured => _tally.Measured;

    public Task RunAsync() => _depth == 1 ? Guard(PingPongAsync()) : Task.WhenAll(Guard(SendLoopAsync()), Guard(ReceiveLoopAsync()));

    /// <summary>Closed loop: send one message, read its whole echo, check it, repeat.</summary>
    private async Task PingPongAsync()
    {
        await Task.Yield();
        Socket socket = _socket;
        int size = _size;
        while (!_run.Stopping)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int left = size; left > 0;)
            {
                int sent = await SendSomeAsync(socket, _run.Pattern.Slice(_tally.Start + _committed, left)).ConfigureAwait(false);
                _committed += sent;
                left -= sent;
            }
            for (int left = size; left > 0;)
            {
                int read = await (_tls is null
                    ? socket.ReceiveAsync(_buffer.AsMemory(0, Math.Min(left, _buffer.Length)), SocketFlags.None)
                    : _tls.ReadAsync(_buffer.AsMemory(0, Math.Min(left, _buffer.Length)))).ConfigureAwait(false);
                if (read == 0)
                    throw new EchoClosedException();
                _tally.Check(_buffer.AsSpan(0, read));
                left -= read;
            }
            _tally.Echoed(1, Stopwatch.GetTimestamp() - t0);
        }
    }

    /// <summary>Pipelined, sending side: keeps <c>depth</c> messages in flight, refilled as echoes complete.</summary>
    private async Task SendLoopAsync()
    {
        await Task.Yield();
        try
        {
            await SendWhileRunningAsync().ConfigureAwait(false);
        }
        finally
        {
            // The receiver may be waiting for data that will never come now: wake it to check what is left.
            _senderDone!.Cancel();
        }
    }

    /// <summary>A send over TCP (may be partial) or TLS (always whole).</summary>
    private ValueTask<int> SendSomeAsync(Socket socket, ReadOnlyMemory<byte> data) =>
        _tls is null ? socket.SendAsync(data, SocketFlags.None) : WriteWholeAsync(data);

    private async ValueTask<int> WriteWholeAsync(ReadOnlyMemory<byte> data)
    {
        await _tls!.WriteAsync(data).ConfigureAwait(false);
        return data.Length;
    }

    private async Task SendWhileRunningAsync()
    {
        Socket socket = _socket;
        ChannelReader<int> credits = _credits!.Reader;
        long messages = 0;
        int free = _depth;
        while (!_run.Stopping && !_receiverDone)
        {
            _tally.MarkSent(messages, free, Stopwatch.GetTimestamp());
            long bytes = (long)free * _size;
            long position = _tally.Start + Volatile.Read(ref _committed);
            Volatile.Write(ref _committed, _committed + bytes);
            messages += free;
            while (bytes > 0)
            {
                int sent = await socket.SendAsync(_run.Pattern.Slice(position, (int)Math.Min(bytes, EchoPattern.MaxSlice)), SocketFlags.None).ConfigureAwait(false);
                position += sent;
                bytes -= sent;
            }
            free = 0;
            while (free == 0)
            {
                if (!await credits.WaitToReadAsync().ConfigureAwait(false))
                    return;
                while (credits.TryRead(out int n))
                    free += n;
            }
        }
    }

    /// <summary>Pipelined, receiving side: checks every byte and hands each completed message back as a credit.</summary>
    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        Socket socket = _socket;
        ChannelWriter<int> credits = _credits!.Writer;
        CancellationToken senderRunning = _senderDone!.Token;
        try
        {
            // After the stop, read what was already sent so every counted echo was checked.
            while (!(_run.Stopping && _tally.Received >= Volatile.Read(ref _committed)))
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, senderRunning).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (senderRunning.IsCancellationRequested)
                {
                    senderRunning = CancellationToken.None; // What was sent is final now.
                    continue;
                }
                if (read == 0)
                    throw new EchoClosedException();
                long before = _tally.Received / _size;
                _tally.Check(_buffer.AsSpan(0, read));
                long after = _tally.Received / _size;
                if (after == before)
                    continue;
                _tally.EchoedBetween(before, after, Stopwatch.GetTimestamp());
                credits.TryWrite((int)(after - before));
            }
        }
        finally
        {
            _receiverDone = true;
            credits.TryComplete();
        }
    }

    /// <summary>Turns a loop's failure into the run's error count; never throws.</summary>
    private async Task Guard(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (EchoMismatchException ex)
        {
            _run.ReportMismatch(ex.Mismatch);
        }
        catch (Exception ex) when (ex is EchoClosedException or SocketException or ObjectDisposedException)
        {
            // The two loops of a pipelined connection fail together: count the connection once.
            if (Interlocked.Exchange(ref _failed, 1) == 0)
                _run.ReportError(_tally.Describe(ex));
        }
    }
}
