using System.Text.Json;
using System.Threading.Channels;
using SocketLab.Web.Hosting;

namespace SocketLab.Web.Sessions;

/// <summary>
/// Fans live events out to every open page. Each page has a bounded queue; a page that falls too far
/// behind is dropped (its WebSocket closes, it reconnects and gets a fresh snapshot) instead of
/// letting a fast peer grow the server's memory.
/// </summary>
public sealed class EventHub
{
    public const int QueueLimit = 8192;

    /// <summary>Bytes of JSON one page may have waiting before it is dropped.</summary>
    public const long QueueByteLimit = 16L * 1024 * 1024;
    private readonly Lock _lock = new();
    private readonly List<Subscriber> _subscribers = [];

    public Subscriber Subscribe()
    {
        var s = new Subscriber(Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        lock (_lock)
            _subscribers.Add(s);
        return s;
    }

    public void Unsubscribe(Subscriber s)
    {
        lock (_lock)
            _subscribers.Remove(s);
        s.Queue.Writer.TryComplete();
    }

    public int Count
    {
        get { lock (_lock) return _subscribers.Count; }
    }

    public void Publish(PageEvent evt)
    {
        Subscriber[] targets;
        lock (_lock)
        {
            if (_subscribers.Count == 0)
                return;
            targets = _subscribers.ToArray();
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(evt, Json.Options.GetTypeInfo(evt.GetType()));
        foreach (Subscriber s in targets)
        {
            if (Interlocked.Add(ref s.QueuedBytes, json.Length) > QueueByteLimit || !s.Queue.Writer.TryWrite(json))
                s.Overflowed = true;
        }
    }

    public sealed class Subscriber(Channel<byte[]> queue)
    {
        public Channel<byte[]> Queue { get; } = queue;
        public volatile bool Overflowed;
        public long QueuedBytes;

        /// <summary>Call for each event taken off the queue.</summary>
        public void Taken(byte[] evt) => Interlocked.Add(ref QueuedBytes, -evt.Length);
    }
}
