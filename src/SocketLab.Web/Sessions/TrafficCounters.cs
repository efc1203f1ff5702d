namespace SocketLab.Web.Sessions;

/// <summary>RX/TX totals of a session plus a short per-second rate history for the page's chart.</summary>
public sealed class TrafficCounters
{
    /// <summary>Seconds of rate history kept (the chart's width).</summary>
    public const int HistorySeconds = 60;

    private readonly Lock _lock = new();
    private readonly Queue<RateSample> _history = new();
    private long _rxBytes, _txBytes, _rxCount, _txCount;
    private long _lastRx, _lastTx;

    public long RxBytes => Interlocked.Read(ref _rxBytes);
    public long TxBytes => Interlocked.Read(ref _txBytes);
    public long RxCount => Interlocked.Read(ref _rxCount);
    public long TxCount => Interlocked.Read(ref _txCount);

    public void AddRx(int bytes)
    {
        Interlocked.Add(ref _rxBytes, bytes);
        Interlocked.Increment(ref _rxCount);
    }

    public void AddTx(int bytes)
    {
        Interlocked.Add(ref _txBytes, bytes);
        Interlocked.Increment(ref _txCount);
    }

    /// <summary>Called once a second: records the bytes moved since the last call.</summary>
    public RateSample Sample(DateTimeOffset now)
    {
        lock (_lock)
        {
            long rx = RxBytes, tx = TxBytes;
            var sample = new RateSample(now.ToUnixTimeMilliseconds(), Math.Max(0, rx - _lastRx), Math.Max(0, tx - _lastTx));
            _lastRx = rx;
            _lastTx = tx;
            _history.Enqueue(sample);
            while (_history.Count > HistorySeconds)
                _history.Dequeue();
            return sample;
        }
    }

    public IReadOnlyList<RateSample> History()
    {
        lock (_lock)
            return _history.ToArray();
    }

    public void Reset()
    {
        lock (_lock)
        {
            Interlocked.Exchange(ref _rxBytes, 0);
            Interlocked.Exchange(ref _txBytes, 0);
            Interlocked.Exchange(ref _rxCount, 0);
            Interlocked.Exchange(ref _txCount, 0);
            _lastRx = _lastTx = 0;
            _history.Clear();
        }
    }
}

/// <summary>Bytes received and sent during one second ending at <paramref name="T"/> (Unix ms).</summary>
public sealed record RateSample(long T, long Rx, long Tx);
