namespace SocketLab.Web.Sessions;

/// <summary>
/// A session's recent log: a ring bounded by line count and by bytes, so a chatty peer cannot grow
/// memory without bound (older lines live on in the history). Sequence numbers keep counting across
/// evictions and clears, so the page can tell what it missed and ask for older lines by sequence.
/// </summary>
public sealed class SessionLog(int capacity, long byteBudget = SessionLog.DefaultByteBudget)
{
    /// <summary>64 MiB: 100,000 lines of ordinary traffic fit many times; a flood of 2 KiB chunks keeps ~10,000.</summary>
    public const long DefaultByteBudget = 64L * 1024 * 1024;

    private readonly LogEntry?[] _ring = new LogEntry?[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private long _nextSeq = 1;
    private int _start;
    private int _count;
    private long _bytes;

    public int Capacity => _ring.Length;

    public LogEntry Append(LogDirection dir, string peer, byte[] data, string text, int length, bool echo = false, Notice? notice = null)
    {
        lock (_lock)
        {
            var entry = new LogEntry(_nextSeq++, DateTimeOffset.Now, dir, peer, data, text, length, echo, notice);
            while (_count > 0 && (_count == _ring.Length || _bytes + entry.Weight > byteBudget))
                DropOldest();
            _ring[(_start + _count) % _ring.Length] = entry;
            _count++;
            _bytes += entry.Weight;
            return entry;
        }
    }

    private void DropOldest()
    {
        _bytes -= _ring[_start]!.Weight;
        _ring[_start] = null;
        _start = (_start + 1) % _ring.Length;
        _count--;
    }

    /// <summary>The newest <paramref name="max"/> entries, oldest first.</summary>
    public IReadOnlyList<LogEntry> Tail(int max) => Before(long.MaxValue, max);

    /// <summary>Up to <paramref name="max"/> entries with a sequence number below <paramref name="seq"/>, oldest first (scrolling back).</summary>
    public IReadOnlyList<LogEntry> Before(long seq, int max)
    {
        lock (_lock)
        {
            int end = _count;
            while (end > 0 && _ring[(_start + end - 1) % _ring.Length]!.Seq >= seq)
                end--;
            int n = Math.Min(Math.Max(0, max), end);
            var list = new List<LogEntry>(n);
            for (int i = end - n; i < end; i++)
                list.Add(_ring[(_start + i) % _ring.Length]!);
            return list;
        }
    }

    public IReadOnlyList<LogEntry> All() => Tail(int.MaxValue);

    /// <summary>Replaces every entry by <paramref name="rewrite"/>'s result, oldest first (same sequence numbers); used to decode again in another encoding.</summary>
    public void Rewrite(Func<LogEntry, LogEntry> rewrite)
    {
        lock (_lock)
        {
            _bytes = 0;
            for (int i = 0; i < _count; i++)
            {
                int at = (_start + i) % _ring.Length;
                LogEntry e = rewrite(_ring[at]!);
                _ring[at] = e;
                _bytes += e.Weight;
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _start = 0;
            _count = 0;
            _bytes = 0;
        }
    }
}
