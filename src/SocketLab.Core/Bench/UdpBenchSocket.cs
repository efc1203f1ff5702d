using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Numerics;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bench;

/// <summary>
/// One UDP socket of a bench run, connected to the server (so its own local port, and the kernel drops
/// datagrams from anyone else). It keeps <c>depth</c> datagrams in flight; datagram n carries n in its
/// first 8 bytes (little-endian) and the socket's pattern stream at n × size after them, so every echo
/// is checked byte for byte and a loss, a duplicate and a reordering are told apart. One loop sends and
/// receives: waiting for echoes is bounded by the oldest datagram's timeout, after which it is lost.
/// </summary>
internal sealed class UdpBenchSocket : IBenchLoad
{
    /// <summary>Bytes of the sequence number at the start of every datagram.</summary>
    public const int HeaderSize = sizeof(long);

    private readonly Socket _socket;
    private readonly BenchRun _run;
    private readonly long _id;
    private readonly long _start;
    private readonly int _size;
    private readonly int _depth;
    private readonly long _timeoutTicks;
    private readonly byte[] _send;
    private readonly byte[] _receive = new byte[ushort.MaxValue + 1]; // Room for any datagram, so a longer echo is seen as longer.
    private readonly Dictionary<long, long> _inFlight; // Sequence number → send timestamp.
    // What became of recently resolved datagrams: n + 1 when echoed, -(n + 1) when lost. Tells a duplicate from a late echo.
    private readonly long[] _history;
    private CancellationTokenSource _wait = new();
    private long _next;
    private long _oldest;
    private long _highestEchoed = -1;
    private long _completed;
    private long _measured;
    private long _lost;
    private long _sentMeasuring;
    private bool _measuringSeen;
    private long _lostMeasuring;
    private long _late;
    private long _reordered;
    private long _duplicated;

    public UdpBenchSocket(long id, Socket socket, BenchRun run)
    {
        _id = id;
        _socket = socket;
        _run = run;
        _start = EchoPattern.StartOf(id);
        _size = run.Options.Size;
        _depth = run.Options.Depth;
        _timeoutTicks = (long)(run.Options.Timeout.TotalSeconds * Stopwatch.Frequency);
        _send = new byte[_size];
        _inFlight = new Dictionary<long, long>(_depth);
        _history = new long[(int)Math.Min(1 << 16, BitOperations.RoundUpToPowerOf2((uint)Math.Max(1024, _depth * 64)))];
    }

    public Socket Socket => _socket;
    public long Completed => Volatile.Read(ref _completed);
    public long Measured => Volatile.Read(ref _measured);
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>The socket ended on an ICMP port unreachable: nothing listens on the target port.</summary>
    public bool Refused { get; private set; }

    /// <summary>The measured time's counts; read once the loop has ended.</summary>
    public DatagramCounts Counts => new(_sentMeasuring, _measured, _lostMeasuring, _late, _reordered, _duplicated);

    public async Task RunAsync()
    {
        await Task.Yield();
        try
        {
            await LoopAsync().ConfigureAwait(false);
        }
        catch (EchoMismatchException ex)
        {
            _run.ReportMismatch(ex.Mismatch);
        }
        catch (Exception ex) when (_run.Stopping && ex is SocketException or ObjectDisposedException)
        {
            // The socket was closed to end the run while waiting for an echo.
        }
        catch (SocketException ex)
        {
            Refused = ex.SocketErrorCode == SocketError.ConnectionRefused;
            _run.ReportError(Refused
                ? $"socket {_id}: port unreachable: nothing is listening on UDP {EndpointText.HostPort(_run.Options.Target)}"
                : $"socket {_id}: {ex.Message}");
            if (_run.Errors >= _run.Options.Connections)
                _run.Stop(); // Every socket failed: nothing left to measure.
        }
        finally
        {
            _wait.Dispose();
        }
    }

    private async Task LoopAsync()
    {
        Socket socket = _socket;
        while (!_run.Stopping)
        {
            while (_inFlight.Count < _depth && !_run.Stopping)
                await SendNextAsync().ConfigureAwait(false);

            long now = Stopwatch.GetTimestamp();
            if (ExpireOld(now))
                continue;
            if (_inFlight.Count == 0)
                continue;
            TimeSpan wait = Stopwatch.GetElapsedTime(now, _inFlight[_oldest] + _timeoutTicks);
            _wait.CancelAfter(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1));
            int read;
            try
            {
                read = await socket.ReceiveAsync(_receive.AsMemory(), SocketFlags.None, _wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Renew();
                continue; // The oldest datagram's time is up: it is counted lost on the next turn.
            }
            if (!_wait.TryReset())
                Renew();
            Received(read, Stopwatch.GetTimestamp());
        }
    }

    private void Renew()
    {
        _wait.Dispose();
        _wait = new CancellationTokenSource();
    }

    private async ValueTask SendNextAsync()
    {
        long n = _next;
        BinaryPrimitives.WriteInt64LittleEndian(_send, n);
        _run.Pattern.Slice(PatternAt(n), _size - HeaderSize).Span.CopyTo(_send.AsSpan(HeaderSize));
        bool measuring = Measuring();
        _inFlight[n] = Stopwatch.GetTimestamp();
        _next = n + 1;
        if (measuring)
            _sentMeasuring++;
        await _socket.SendAsync(_send.AsMemory(), SocketFlags.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether this is the measured time. When it is first seen, the datagrams already in flight count as sent in
    /// it: their echoes or losses will be counted there, so sent never falls below echoed + lost.
    /// </summary>
    private bool Measuring()
    {
        bool measuring = _run.Measuring;
        if (measuring && !_measuringSeen)
        {
            _measuringSeen = true;
            _sentMeasuring += _inFlight.Count;
        }
        return measuring;
    }

    /// <summary>Where datagram <paramref name="n"/>'s pattern bytes start in this socket's stream.</summary>
    private long PatternAt(long n) => _start + n * _size + HeaderSize;

    /// <summary>
    /// Counts as lost every datagram whose echo did not come within the timeout (they expire in the
    /// order sent). Returns whether any did, freeing room to send.
    /// </summary>
    private bool ExpireOld(long now)
    {
        bool measuring = Measuring();
        bool any = false;
        for (; _oldest < _next; _oldest++)
        {
            if (!_inFlight.TryGetValue(_oldest, out long sentAt))
                continue;
            if (now - sentAt < _timeoutTicks)
                break;
            _inFlight.Remove(_oldest);
            _history[_oldest & (_history.Length - 1)] = -(_oldest + 1);
            Volatile.Write(ref _lost, _lost + 1);
            if (measuring)
                _lostMeasuring++;
            any = true;
        }
        return any;
    }

    private void Received(int length, long now)
    {
        bool measuring = Measuring();
        Verify(length, out long n);
        if (_inFlight.Remove(n, out long sentAt))
        {
            _history[n & (_history.Length - 1)] = n + 1;
            bool reordered = n < _highestEchoed;
            if (!reordered)
                _highestEchoed = n;
            Volatile.Write(ref _completed, _completed + 1);
            if (measuring)
            {
                Volatile.Write(ref _measured, _measured + 1);
                if (reordered)
                    _reordered++;
                _run.RecordLatency(now - sentAt, 1);
            }
            return;
        }
        // Echoed already (a duplicate), or counted lost already, or too old to remember: a late echo.
        if (!measuring)
            return;
        if (_history[n & (_history.Length - 1)] == n + 1)
            _duplicated++;
        else
            _late++;
    }

    /// <summary>Checks a received datagram is one this socket sent, unchanged; returns its number.</summary>
    private void Verify(int length, out long n)
    {
        if (length < HeaderSize)
            throw Corrupted(null, $"got a {length}-byte datagram, too short to carry its {HeaderSize}-byte number");
        n = BinaryPrimitives.ReadInt64LittleEndian(_receive);
        if (n < 0 || n >= _next)
            throw Corrupted(n, $"got datagram number {n}, which it never sent (it sent {_next})");
        if (length != _size)
            throw Corrupted(n, $"datagram {n} came back {length} bytes long instead of {_size}");
        int bad = _run.Pattern.FirstMismatch(_receive.AsSpan(HeaderSize, _size - HeaderSize), PatternAt(n));
        if (bad >= 0)
        {
            throw new EchoMismatchException(new EchoMismatch(_id, HeaderSize + bad, _run.Pattern.At(PatternAt(n) + bad), _receive[HeaderSize + bad]) { Datagram = n });
        }
    }

    private EchoMismatchException Corrupted(long? n, string detail) =>
        new(new EchoMismatch(_id, 0, 0, 0) { Datagram = n, Detail = detail });
}
