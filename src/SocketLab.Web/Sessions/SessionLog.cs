namespace SocketLab.Web.Sessions;

/// <summary>
/// A session's recent log: a fixed-size ring, so a chatty peer cannot grow memory without bound.
/// Sequence numbers keep counting across evictions and clears, so the page can tell what it missed.
/// </summary>
public sealed class SessionLog(int capacity)
{
    private readonly LogEntry?[] _ring = new LogEntry?[Math.Max(1, capacity)];
    private readonly Lock _lock = new();
    private long _nextSeq = 1;
    private int _start;
    private int _count;

    public int Capacity => _ring.Length;

    public LogEntry Append(LogDirection dir, string peer, byte[] data, string text, int length, bool echo = false, Notice? notice = null)
    {
        lock (_lock)
        {
            var entry = new LogEntry(_nextSeq++, DateTimeOffset.Now, dir, peer, data, text, length, echo, notice);
            if (_count < _ring.Length)
            {
                _ring[(_start + _count) % _ring.Length] = entry;
                _count++;
            }
            else
            {
                _ring[_start] = entry;
                _start = (_start + 1) % _ring.Length;
            }
            return entry;
        }
    }

    /// <summary>The newest <paramref name="max"/> entries, oldest first.</summary>
    public IReadOnlyList<LogEntry> Tail(int max)
    {
        lock (_lock)
        {
            int n = Math.Min(max, _count);
            var list = new List<LogEntry>(n);
            for (int i = _count - n; i < _count; i++)
                list.Add(_ring[(_start + i) % _ring.Length]!);
            return list;
        }
    }

    public IReadOnlyList<LogEntry> All() => Tail(int.MaxValue);

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _start = 0;
            _count = 0;
        }
    }
}
