namespace SocketLab.Core.Bench;

/// <summary>
/// An open-loop run's timer list for one loop thread: the connections waiting for their next message's
/// intended time, earliest first. Each connection is in it at most once; nothing is allocated once the
/// queue has grown to the number of connections.
/// </summary>
internal sealed class DueQueue(int connections)
{
    private readonly PriorityQueue<int, long> _queue = new(connections);
    private readonly long[] _queuedFor = Enumerable.Repeat(long.MaxValue, connections).ToArray();

    /// <summary>Remembers that connection <paramref name="i"/> has a message due at <paramref name="due"/> (ignored for <see cref="long.MaxValue"/>).</summary>
    public void Add(int i, long due)
    {
        if (due == long.MaxValue || _queuedFor[i] <= due)
            return;
        _queuedFor[i] = due;
        _queue.Enqueue(i, due);
    }

    /// <summary>The earliest due time, or <see cref="long.MaxValue"/> when nothing is queued.</summary>
    public long Earliest
    {
        get
        {
            while (_queue.TryPeek(out int i, out long due))
            {
                if (_queuedFor[i] == due)
                    return due;
                _queue.Dequeue(); // Superseded by an earlier entry for the same connection.
            }
            return long.MaxValue;
        }
    }

    /// <summary>Takes the next connection whose time has come by <paramref name="now"/>.</summary>
    public bool TryTakeDue(long now, out int i)
    {
        while (_queue.TryPeek(out i, out long due) && due <= now)
        {
            _queue.Dequeue();
            if (_queuedFor[i] != due)
                continue;
            _queuedFor[i] = long.MaxValue;
            return true;
        }
        i = -1;
        return false;
    }
}
