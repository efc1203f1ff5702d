using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Relay;

/// <summary>
/// One relayed connection on the zero-copy path: two lanes (client → device, device → client), each a pipe
/// that <see cref="Splice"/> fills from one socket and empties into the other. Driven by one
/// <see cref="SpliceRelayLoop"/> thread, edge-triggered: a lane runs until the kernel says "would block",
/// so the next readiness edge is never missed. Same semantics as the copying pumps: FIN passes as FIN,
/// a reset as a reset, the counters count bytes read.
/// </summary>
internal sealed class SplicedRelay
{
    /// <summary>Moves per lane before the loop serves other connections (the lane is then run again next turn).</summary>
    private const int MovesPerTurn = 16;

    private readonly Socket _client;
    private readonly Socket _device;
    private readonly IRelayObserver _observer;
    private readonly Lane _up;
    private readonly Lane _down;
    private bool _reset;

    private SplicedRelay(RelayConnection connection, Socket client, Socket device, IRelayObserver observer, Lane up, Lane down)
    {
        Connection = connection;
        _client = client;
        _device = device;
        _observer = observer;
        _up = up;
        _down = down;
    }

    public RelayConnection Connection { get; }

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public nint ClientHandle => _client.Handle;

    public nint DeviceHandle => _device.Handle;

    /// <summary>Both FINs passed on, or a reset: the loop closes it.</summary>
    public bool Finished => _reset || (_up.FinSent && _down.FinSent);

    /// <summary>A lane stopped with work left (its turn's budget ran out); the loop runs it again before waiting.</summary>
    public bool MoreToDo { get; private set; }

    /// <summary>Set by the loop while this relay is on its "run again" list.</summary>
    public bool Queued { get; set; }

    /// <summary>Opens the two pipes; null when no descriptors are left (the caller copies instead).</summary>
    public static SplicedRelay? TryCreate(RelayConnection connection, Socket client, Socket device, IRelayObserver observer, int pipeSize)
    {
        if (!Splice.TryOpenPipe(pipeSize, out int upRead, out int upWrite))
            return null;
        if (!Splice.TryOpenPipe(pipeSize, out int downRead, out int downWrite))
        {
            Splice.Close(upRead);
            Splice.Close(upWrite);
            return null;
        }
        Splice.MakeNonBlocking(client.Handle);
        Splice.MakeNonBlocking(device.Handle);
        var up = new Lane(RelayDirection.ToDevice, (int)client.Handle, device, upRead, upWrite, pipeSize);
        var down = new Lane(RelayDirection.ToClient, (int)device.Handle, client, downRead, downWrite, pipeSize);
        return new SplicedRelay(connection, client, device, observer, up, down);
    }

    /// <summary>Runs the lanes an epoll event on one socket may have unblocked.</summary>
    public void OnReady(bool deviceSide, uint events)
    {
        MoreToDo = false;
        bool readable = (events & (Epoll.In | Epoll.PeerHalfClosed | Epoll.Error | Epoll.HangUp)) != 0;
        bool writable = (events & (Epoll.Out | Epoll.Error | Epoll.HangUp)) != 0;
        if (readable)
            Run(deviceSide ? _down : _up);
        if (writable)
            Run(deviceSide ? _up : _down);
    }

    /// <summary>Runs both lanes (a relay left with work after its last turn).</summary>
    public void RunAgain()
    {
        MoreToDo = false;
        Run(_up);
        Run(_down);
    }

    private void Run(Lane lane)
    {
        if (_reset || lane.FinSent)
            return;
        for (int move = 0; move < MovesPerTurn; move++)
        {
            if (lane.InPipe > 0)
            {
                long sent = Splice.Move(lane.PipeRead, lane.Destination, lane.InPipe);
                if (sent > 0)
                {
                    lane.InPipe -= sent;
                    continue;
                }
                if (sent != -LinuxSocketConstants.WouldBlock)
                    PassReset(Opposite(lane.Direction)); // The receiving end reset (EPIPE/ECONNRESET): the sender gets one too.
                return;
            }
            if (lane.EndOfStream)
            {
                SendFin(lane);
                return;
            }
            long read = Splice.Move(lane.Source, lane.PipeWrite, lane.PipeSize);
            if (read > 0)
            {
                lane.InPipe = read;
                Connection.Count(lane.Direction, (int)read);
            }
            else if (read == 0)
            {
                lane.EndOfStream = true;
            }
            else
            {
                if (read != -LinuxSocketConstants.WouldBlock)
                    PassReset(lane.Direction);
                return;
            }
        }
        MoreToDo = true;
    }

    private void SendFin(Lane lane)
    {
        lane.FinSent = true;
        _observer.OnHalfClosed(Connection, lane.Direction);
        try
        {
            lane.DestinationSocket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The destination is gone already; its own lane reports how.
        }
    }

    /// <summary>The sending side of <paramref name="direction"/> reset: both sockets close with SO_LINGER 0 in <see cref="Close"/>.</summary>
    private void PassReset(RelayDirection direction)
    {
        _reset = true;
        if (Connection.TryMarkReset())
            _observer.OnReset(Connection, direction);
    }

    private static RelayDirection Opposite(RelayDirection d) => d == RelayDirection.ToDevice ? RelayDirection.ToClient : RelayDirection.ToDevice;

    /// <summary>Closes both sockets (a reset where one was passed on) and the pipes, and reports the end.</summary>
    public void Close()
    {
        foreach (Socket s in (Socket[])[_client, _device])
        {
            try
            {
                if (_reset)
                    s.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }
            s.Dispose();
        }
        _up.ClosePipe();
        _down.ClosePipe();
        _observer.OnClosed(Connection);
        Done.TrySetResult();
    }

    /// <summary>One direction: bytes read from <see cref="Source"/> wait in the pipe until <see cref="Destination"/> takes them.</summary>
    private sealed class Lane(RelayDirection direction, int source, Socket destination, int pipeRead, int pipeWrite, int pipeSize)
    {
        public RelayDirection Direction { get; } = direction;
        public int Source { get; } = source;
        public Socket DestinationSocket { get; } = destination;
        public int Destination { get; } = (int)destination.Handle;
        public int PipeRead { get; } = pipeRead;
        public int PipeWrite { get; } = pipeWrite;
        public int PipeSize { get; } = pipeSize;
        public long InPipe { get; set; }
        public bool EndOfStream { get; set; }
        public bool FinSent { get; set; }

        public void ClosePipe()
        {
            Splice.Close(PipeRead);
            Splice.Close(PipeWrite);
        }
    }
}
