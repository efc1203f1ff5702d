using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Relay;

/// <summary>
/// One thread that moves relayed bytes kernel to kernel for many connections: an edge-triggered epoll set
/// holding both sockets of each <see cref="SplicedRelay"/>. Used when nobody reads the bytes (a quiet relay
/// without a transcript or fault injection): the relay process then never copies a payload byte.
/// </summary>
internal sealed class SpliceRelayLoop : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    private const ulong ConnectTag = 1UL << 62;
    private const uint Watched = Epoll.In | Epoll.Out | Epoll.PeerHalfClosed | Epoll.EdgeTriggered;

    private readonly Epoll _epoll = new(256);
    private readonly WakeSignal _wake = new();
    private readonly ConcurrentQueue<SplicedRelay> _inbox = new();
    private readonly Dictionary<long, SplicedRelay> _relays = [];
    private readonly List<SplicedRelay> _again = [];
    private readonly ConcurrentQueue<PendingConnect> _connectInbox = new();
    private readonly Dictionary<long, PendingConnect> _connects = [];
    private long _nextConnect;
    private readonly Thread _thread;
    private readonly long _busyPollTicks;
    private volatile bool _stopping;

    public static bool IsSupported => Epoll.IsSupported;

    /// <param name="index">Names the thread (socketlab-splice-N).</param>
    /// <param name="busyPoll">After traffic, keep polling this long before sleeping, as the server's epoll loops do.</param>
    public SpliceRelayLoop(int index, TimeSpan busyPoll)
    {
        _busyPollTicks = (long)(busyPoll.TotalSeconds * Stopwatch.Frequency);
        _epoll.Add(_wake.Handle, Epoll.In, WakeToken);
        _thread = new Thread(Run) { IsBackground = true, Name = $"socketlab-splice-{index}" };
        _thread.Start();
    }

    /// <summary>Hands a relay to this loop; after <see cref="Dispose"/> it is closed at once.</summary>
    public void Add(SplicedRelay relay)
    {
        _inbox.Enqueue(relay);
        _wake.Set();
        if (_stopping && !_thread.IsAlive)
            TakeInbox(); // The loop is gone: close what it will never see.
    }

    /// <summary>
    /// Connects <paramref name="socket"/> with its completion watched by this loop: a socket that ever ran a .NET
    /// async operation stays registered with the runtime's epoll thread, which would then wake (and wake the
    /// thread pool) for every chunk this loop splices — measured, a third of the relay's CPU.
    /// </summary>
    public async Task ConnectAsync(Socket socket, IPEndPoint target, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(target);
            return; // At once (rare, even on loopback).
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        var pending = new PendingConnect(socket, Interlocked.Increment(ref _nextConnect));
        _connectInbox.Enqueue(pending);
        _wake.Set();
        if (_stopping && !_thread.IsAlive)
            pending.Done.TrySetCanceled();
        // A cancelled connect's socket is closed by the caller, which also takes it out of the epoll set.
        await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Run()
    {
        long pollUntil = 0;
        while (!_stopping)
        {
            // A sleeping thread's wake-up is most of a relayed hop's latency: poll a while after traffic instead.
            bool polling = _again.Count > 0 || (_busyPollTicks > 0 && Stopwatch.GetTimestamp() < pollUntil);
            int ready = _epoll.Wait(polling ? 0 : -1);
            if (ready > 0 && _busyPollTicks > 0)
                pollUntil = Stopwatch.GetTimestamp() + _busyPollTicks;
            for (int i = 0; i < ready; i++)
            {
                ulong data = _epoll.DataAt(i);
                if (data == WakeToken)
                {
                    _wake.Reset();
                    TakeInbox();
                    continue;
                }
                if ((data & ConnectTag) != 0)
                {
                    Connected((long)(data & ~ConnectTag));
                    continue;
                }
                if (_relays.TryGetValue((long)(data >> 1), out SplicedRelay? relay))
                {
                    relay.OnReady((data & 1) == 1, _epoll.EventsAt(i));
                    AfterTurn(relay);
                }
            }
            RunAgain();
        }
        TakeInbox();
        foreach (SplicedRelay relay in _relays.Values)
            relay.Close();
        _relays.Clear();
        foreach (PendingConnect pending in _connects.Values)
            pending.Done.TrySetCanceled();
    }

    private void TakeInbox()
    {
        while (_connectInbox.TryDequeue(out PendingConnect? pending))
        {
            if (_stopping || pending.Done.Task.IsCompleted || !_epoll.TryAdd(pending.Socket.Handle, Epoll.Out, ConnectTag | (ulong)pending.Token))
                pending.Done.TrySetCanceled();
            else
                _connects[pending.Token] = pending;
        }
        if (_connects.Count > 64)
        {
            foreach (long token in _connects.Where(kv => kv.Value.Done.Task.IsCompleted).Select(kv => kv.Key).ToList())
                _connects.Remove(token); // Given up by their callers (timed out): the sockets are closed already.
        }
        while (_inbox.TryDequeue(out SplicedRelay? relay))
        {
            long id = relay.Connection.Id;
            if (_stopping || !_epoll.TryAdd(relay.ClientHandle, Watched, (ulong)id << 1) || !_epoll.TryAdd(relay.DeviceHandle, Watched, ((ulong)id << 1) | 1))
            {
                relay.Close();
                continue;
            }
            _relays[id] = relay; // Registration raises the first edges (writable, and readable if bytes wait).
        }
    }

    private void Connected(long token)
    {
        if (!_connects.Remove(token, out PendingConnect? pending) || pending.Done.Task.IsCompleted)
            return;
        _epoll.Remove(pending.Socket.Handle); // The relay registers it again, edge-triggered, for both ways.
        var error = (SocketError)(int)pending.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error == SocketError.Success)
            pending.Done.TrySetResult();
        else
            pending.Done.TrySetException(new SocketException((int)error));
    }

    private void RunAgain()
    {
        if (_again.Count == 0)
            return;
        SplicedRelay[] turn = [.. _again];
        _again.Clear();
        foreach (SplicedRelay relay in turn)
        {
            relay.Queued = false;
            if (!_relays.ContainsKey(relay.Connection.Id))
                continue;
            relay.RunAgain();
            AfterTurn(relay);
        }
    }

    private void AfterTurn(SplicedRelay relay)
    {
        if (relay.Finished)
        {
            _relays.Remove(relay.Connection.Id);
            _epoll.Remove(relay.ClientHandle);
            _epoll.Remove(relay.DeviceHandle);
            relay.Close();
        }
        else if (relay.MoreToDo && !relay.Queued)
        {
            relay.Queued = true;
            _again.Add(relay);
        }
    }

    private sealed class PendingConnect(Socket socket, long token)
    {
        public Socket Socket { get; } = socket;
        public long Token { get; } = token;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Stops the thread; every relay it held is closed and reported closed.</summary>
    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
        TakeInbox();
        _epoll.Dispose();
        _wake.Dispose();
    }
}
