using System.Buffers;
using System.Net.Sockets;

namespace SocketLab.Core.Net;

/// <summary>
/// Reads a connected stream socket in the background and keeps what arrived until a consumer
/// takes it, with a way to wait for more: the receiving half of a scripted conversation.
/// At most <see cref="Limit"/> bytes are kept (Tcl expect's <c>match_max</c>): beyond it the oldest are
/// forgotten and counted in <see cref="Forgotten"/>, so a peer that floods costs bounded memory.
/// </summary>
public sealed class SocketInbox : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _count;
    private long _total;
    private long _forgotten;
    private int _limit = int.MaxValue;

    public SocketInbox(Socket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The peer closed its side (or the connection failed: see <see cref="Error"/>).</summary>
    public bool Closed { get; private set; }

    /// <summary>Why the connection failed, when it did not end with a plain close.</summary>
    public string? Error { get; private set; }

    /// <summary>Every byte received so far, taken or not.</summary>
    public long TotalReceived { get { lock (_lock) return _total; } }

    /// <summary>Bytes received and not yet taken.</summary>
    public int Available { get { lock (_lock) return _count; } }

    /// <summary>Most bytes kept untaken; older ones are forgotten. Lowering it forgets at once.</summary>
    public int Limit
    {
        get { lock (_lock) return _limit; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_lock)
            {
                _limit = value;
                Forget();
            }
        }
    }

    /// <summary>Bytes dropped unread because more than <see cref="Limit"/> waited.</summary>
    public long Forgotten { get { lock (_lock) return _forgotten; } }

    /// <summary>
    /// Looks for <paramref name="needle"/> in the untaken bytes from stream offset <paramref name="from"/> on
    /// (bytes searched before need no second look). Returns how many bytes to take to include the match,
    /// or -1; <paramref name="next"/> is where the next search can start.
    /// </summary>
    public int Find(ReadOnlySpan<byte> needle, long from, out long next)
    {
        lock (_lock)
        {
            long first = _total - _count;
            int skip = (int)Math.Clamp(from - first, 0, _count);
            int at = _buffer.AsSpan(_start + skip, _count - skip).IndexOf(needle);
            next = Math.Max(first, _total - needle.Length + 1);
            return at < 0 ? -1 : skip + at + needle.Length;
        }
    }

    /// <summary>A copy of the bytes not yet taken.</summary>
    public byte[] Peek()
    {
        lock (_lock)
            return _buffer.AsSpan(_start, _count).ToArray();
    }

    /// <summary>Takes (drops) the first <paramref name="count"/> bytes.</summary>
    public void Consume(int count)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
            _start += count;
            _count -= count;
            if (_count == 0)
                _start = 0;
        }
    }

    /// <summary>Waits for new bytes or the close; false when <paramref name="timeout"/> passed first. May return early: check again.</summary>
    public Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken ct) =>
        Closed ? Task.FromResult(true) : _changed.WaitAsync(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, ct);

    private async Task ReadLoopAsync()
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                    break;
                Append(chunk.AsSpan(0, n));
                _changed.Release();
            }
            Closed = true;
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException ex)
        {
            Error = ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message;
            Closed = true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            _changed.Release();
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_start + _count + data.Length > _buffer.Length)
            {
                byte[] target = _count + data.Length > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, _count + data.Length)] : _buffer;
                _buffer.AsSpan(_start, _count).CopyTo(target);
                _buffer = target;
                _start = 0;
            }
            data.CopyTo(_buffer.AsSpan(_start + _count));
            _count += data.Length;
            _total += data.Length;
            Forget();
        }
    }

    /// <summary>Under the lock: drops the oldest bytes past the limit, and shrinks a buffer a flood grew.</summary>
    private void Forget()
    {
        if (_count <= _limit)
            return;
        int drop = _count - _limit;
        _start += drop;
        _count -= drop;
        _forgotten += drop;
        if (_buffer.Length > 4 * (long)_limit && _buffer.Length > 64 * 1024)
        {
            byte[] smaller = new byte[Math.Max(2 * _limit, 4096)];
            _buffer.AsSpan(_start, _count).CopyTo(smaller);
            _buffer = smaller;
            _start = 0;
        }
    }

    /// <summary>Stops reading (the socket stays open; its owner closes it).</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _reader.ConfigureAwait(false);
        _stop.Dispose();
    }
}
