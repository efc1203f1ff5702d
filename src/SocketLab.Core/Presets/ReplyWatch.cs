namespace SocketLab.Core.Presets;

/// <summary>
/// What arrived since a step was sent, so the step can wait for its reply: received bytes are fed in
/// (from any thread), a step starts afresh with <see cref="Reset"/> and waits until the bytes contain
/// what it expects. Holds at most <see cref="Limit"/> bytes (the newest), like expect's match_max.
/// </summary>
public sealed class ReplyWatch
{
    public const int Limit = 1024 * 1024;

    private readonly Lock _lock = new();
    private byte[] _buffer = new byte[4096];
    private int _length;
    private (byte[] Needle, TaskCompletionSource<bool> Done)? _waiting;

    public void Reset()
    {
        lock (_lock)
            _length = 0;
    }

    /// <summary>What arrived since the last <see cref="Reset"/> (for reports).</summary>
    public byte[] Received()
    {
        lock (_lock)
            return _buffer.AsSpan(0, _length).ToArray();
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        TaskCompletionSource<bool>? done = null;
        lock (_lock)
        {
            if (data.Length >= Limit)
                data = data[^Limit..];
            if (_length + data.Length > Limit)
            {
                int drop = _length + data.Length - Limit;
                _buffer.AsSpan(drop, _length - drop).CopyTo(_buffer);
                _length -= drop;
            }
            if (_length + data.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Min(Limit, Math.Max(_buffer.Length * 2, _length + data.Length)));
            data.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
            if (_waiting is { } w && _buffer.AsSpan(0, _length).IndexOf(w.Needle) >= 0)
            {
                done = w.Done;
                _waiting = null;
            }
        }
        done?.TrySetResult(true);
    }

    /// <summary>True once the bytes since <see cref="Reset"/> contain <paramref name="needle"/>; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(byte[] needle, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_buffer.AsSpan(0, _length).IndexOf(needle) >= 0)
                return true;
            _waiting = (needle, done);
        }
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        using (linked.Token.Register(() => done.TrySetResult(false)))
        {
            bool found = await done.Task.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            lock (_lock)
                _waiting = null;
            return found;
        }
    }
}
