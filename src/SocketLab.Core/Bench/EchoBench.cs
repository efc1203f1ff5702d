using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;
using SocketLab.Core.Net;
using SocketLab.Core.Uring;

namespace SocketLab.Core.Bench;

/// <summary>
/// An echo load generator: opens the connections, runs warm-up then the measured time, checks every
/// echoed byte, and reports throughput and latency. Like rust_echo_bench with depth 1, like
/// NetCoreServer's TcpEchoClient with a larger depth.
/// </summary>
public static class EchoBench
{
    /// <summary>Source addresses idle connections are spread over on a 127.x target (8 × ~28k ports).</summary>
    private const int IdleSourceAddresses = 8;

    /// <summary>Memory all receive buffers may take together before each one gets smaller.</summary>
    private const long BufferBudget = 256L * 1024 * 1024;

    private const int CheckSize = 16;

    /// <summary>UDP: every datagram carries its 8-byte sequence number, so none can be shorter.</summary>
    public const int UdpMinSize = UdpBenchSocket.HeaderSize;

    /// <summary>UDP: the largest payload of one IPv4 datagram (65,535 − 20 IP − 8 UDP header bytes).</summary>
    public const int UdpMaxSize = 65_507;

    /// <summary>
    /// Runs the bench. Throws <see cref="NetworkException"/> when not one connection could be opened;
    /// every other failure is counted in the result. Cancelling ends the measured time early.
    /// </summary>
    public static async Task<BenchResult> RunAsync(BenchOptions options, Action<BenchSample>? progress = null, CancellationToken cancellationToken = default, HdrIntervalLog? hdrLog = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Connections, 1);
        if (options.Rate is not null && (options.Udp || EngineFor(options) == SocketEngine.Async))
            throw new ArgumentException("an open-loop rate needs the epoll or uring engine (plain TCP on Linux)", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Depth, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Idle);
        if (options.Udp)
            return await RunUdpAsync(options, progress, cancellationToken, hdrLog).ConfigureAwait(false);

        SocketEngine engine = EngineFor(options);
        bool epoll = engine != SocketEngine.Async; // Both own loops open their connections without .NET's async sockets.
        var run = new BenchRun(options);
        bool spread = options.Target.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(options.Target.Address);
        Opened idle = await OpenAsync(options, options.Idle, i => spread ? new IPAddress([127, 0, 0, (byte)(2 + i % IdleSourceAddresses)]) : null, cancellationToken).ConfigureAwait(false);
        Opened active = epoll
            ? await EpollConnector.OpenAsync(options, cancellationToken).ConfigureAwait(false)
            : await OpenAsync(options, options.Connections, _ => null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (active.Sockets.Count == 0)
                throw active.FirstFailure ?? new NetworkException(NetworkErrorKind.Other, NetworkOperation.Connect, EndpointText.HostPort(options.Target));

            int bufferSize = (int)Math.Clamp(BufferBudget / active.Sockets.Count, 4096, 64 * 1024);
            bufferSize = (int)Math.Min(bufferSize, (long)options.Size * options.Depth);
            IBenchLoad[] connections;
            Func<Task[]> start;
            if (engine == SocketEngine.Uring)
            {
                var loop = new UringBenchLoop(run, active.Sockets, bufferSize);
                (connections, start) = (loop.Connections, loop.Start);
            }
            else if (epoll)
            {
                var loop = new EpollBenchLoop(run, active.Sockets, bufferSize);
                (connections, start) = (loop.Connections, loop.Start);
            }
            else
            {
                Stream?[] tls = await HandshakeAsync(options, active.Sockets, cancellationToken).ConfigureAwait(false);
                BenchConnection[] perConnection = active.Sockets.Select((s, i) => new BenchConnection(i, s, run, bufferSize, tls[i])).ToArray();
                (connections, start) = (perConnection, () => perConnection.Select(c => c.RunAsync()).ToArray());
            }
            await WaitForStartAsync(options, cancellationToken).ConfigureAwait(false);
            Task[] loops = [];
            Measured measured = await SampleAsync(run, connections, () => loops = start(), progress, hdrLog, cancellationToken).ConfigureAwait(false);
            await DrainAsync(run, connections, loops).ConfigureAwait(false);
            TakeStragglers(run, measured, hdrLog);
            int idleEchoed = await CheckIdleAsync(run.Pattern, idle.Sockets, options.DrainTimeout).ConfigureAwait(false);

            return new BenchResult
            {
                Options = options,
                Connected = active.Sockets.Count,
                ConnectFailures = active.Failures + idle.Failures,
                Errors = run.Errors,
                FirstError = run.FirstError ?? active.FirstFailure?.Message ?? idle.FirstFailure?.Message,
                Mismatch = run.Mismatch,
                Elapsed = measured.Elapsed,
                Messages = connections.Sum(c => c.Measured),
                Bytes = connections.Sum(c => c.Measured) * options.Size,
                IdleConnected = idle.Sockets.Count,
                IdleEchoed = idleEchoed,
                Latency = measured.Latency,
                Timeline = measured.Timeline,
                Gen0Collections = measured.Gen0Collections,
                AllocatedBytes = measured.AllocatedBytes,
                GeneratorCpu = measured.Cpu,
                Engine = engine.ToString().ToLowerInvariant(),
                EngineNote = EngineNote(options),
                AskedMessages = measured.Asked,
                MeasuredFrom = measured.From,
            };
        }
        finally
        {
            foreach (Socket s in active.Sockets.Concat(idle.Sockets))
                s.Dispose();
        }
    }

    /// <summary>Whether <see cref="SocketEngine.Epoll"/> can run here (Linux on x64 or arm64).</summary>
    public static bool EpollAvailable => Epoll.IsSupported;

    /// <summary>Whether the uring engine can run here; when not, <see cref="UringSupport.Unavailable"/> says why.</summary>
    public static bool UringAvailable => UringSupport.IsAvailable;

    /// <summary>
    /// The engine a TCP run uses: the one asked for (an error where it cannot run), or for <see cref="SocketEngine.Auto"/>
    /// uring where the kernel allows it, else epoll on Linux, else (and for TLS) async sockets.
    /// </summary>
    public static SocketEngine EngineFor(BenchOptions options) => options.Engine switch
    {
        SocketEngine.Async => SocketEngine.Async,
        SocketEngine.Uring when options.Tls is not null || options.Udp => throw new ArgumentException("the uring engine runs plain TCP only, not TLS or UDP", nameof(options)),
        SocketEngine.Uring when UringSupport.Unavailable is { } why => throw new ArgumentException($"the uring engine cannot run here: {why}", nameof(options)),
        SocketEngine.Uring => SocketEngine.Uring,
        SocketEngine.Epoll when !EpollBenchLoop.CanRun(options) => throw new ArgumentException(
            options.Tls is not null ? "the epoll engine runs plain TCP only, not TLS" : "the epoll engine needs Linux on x64 or arm64", nameof(options)),
        SocketEngine.Epoll => SocketEngine.Epoll,
        _ when UringBenchLoop.CanRun(options) => SocketEngine.Uring,
        _ => EpollBenchLoop.CanRun(options) ? SocketEngine.Epoll : SocketEngine.Async,
    };

    /// <summary>
    /// Why <see cref="SocketEngine.Auto"/> did not pick uring on Linux for this run (one line for the report), or null.
    /// </summary>
    public static string? EngineNote(BenchOptions options) =>
        options.Engine == SocketEngine.Auto && EngineFor(options) == SocketEngine.Epoll && UringSupport.Unavailable is { } why
            ? $"io_uring unavailable: {why}" : null;

    /// <summary>
    /// The UDP bench: one connected socket per "connection", datagrams numbered and checked, losses
    /// counted. No drain: an echo is checked when it arrives, and datagrams still in flight at the end
    /// are neither echoed nor lost, so the sockets are closed as soon as the measured time is over.
    /// </summary>
    private static async Task<BenchResult> RunUdpAsync(BenchOptions options, Action<BenchSample>? progress, CancellationToken ct, HdrIntervalLog? hdrLog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, UdpMinSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Size, UdpMaxSize);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        if (options.Idle > 0)
            throw new ArgumentException("idle connections are a TCP notion", nameof(options));

        var run = new BenchRun(options);
        var sockets = new List<Socket>(options.Connections);
        try
        {
            for (int i = 0; i < options.Connections; i++)
                sockets.Add(OpenUdp(options.Target));
            var loads = sockets.Select((s, i) => new UdpBenchSocket(i, s, run)).ToArray();
            await WaitForStartAsync(options, ct).ConfigureAwait(false);
            Task[] loops = [];
            Measured measured = await SampleAsync(run, loads, () => loops = loads.Select(l => l.RunAsync()).ToArray(), progress, hdrLog, ct).ConfigureAwait(false);
            foreach (Socket s in sockets)
                s.Dispose();
            await Task.WhenAll(loops).ConfigureAwait(false); // The loops never throw: failures are counted.
            TakeStragglers(run, measured, hdrLog);

            DatagramCounts[] counts = loads.Select(l => l.Counts).ToArray();
            long echoed = counts.Sum(c => c.Echoed);
            if (loads.All(l => l.Refused && l.Completed == 0))
                throw new NetworkException(NetworkErrorKind.ConnectionRefused, NetworkOperation.Reach, EndpointText.HostPort(options.Target), "port unreachable (nothing is listening on that port)");
            return new BenchResult
            {
                Options = options,
                Connected = sockets.Count,
                ConnectFailures = 0,
                Errors = run.Errors,
                FirstError = run.FirstError,
                Mismatch = run.Mismatch,
                Elapsed = measured.Elapsed,
                Messages = echoed,
                Bytes = echoed * options.Size,
                IdleConnected = 0,
                IdleEchoed = 0,
                Latency = measured.Latency,
                Timeline = measured.Timeline,
                Engine = "udp",
                MeasuredFrom = measured.From,
                Datagrams = new DatagramCounts(counts.Sum(c => c.Sent), echoed, counts.Sum(c => c.Lost), counts.Sum(c => c.Late), counts.Sum(c => c.Reordered), counts.Sum(c => c.Duplicated)),
                Gen0Collections = measured.Gen0Collections,
                AllocatedBytes = measured.AllocatedBytes,
                GeneratorCpu = measured.Cpu,
            };
        }
        finally
        {
            foreach (Socket s in sockets)
                s.Dispose();
        }
    }

    /// <summary>A UDP socket on a free local port, connected to the target: sends need no address, and only the target's datagrams arrive.</summary>
    private static Socket OpenUdp(IPEndPoint target)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(target);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw NetworkException.From(ex, NetworkOperation.Connect, EndpointText.HostPort(target));
        }
    }

    internal sealed record Opened(List<Socket> Sockets, int Failures, NetworkException? FirstFailure);

    private sealed record Measured(TimeSpan Elapsed, HistogramBase Latency, List<BenchSample> Timeline, int Gen0Collections, long AllocatedBytes, TimeSpan Cpu, long? Asked, DateTimeOffset From);

    /// <summary>
    /// Echoes counted in the last moments of the measured time but recorded after the sampler's last look:
    /// added to the total (and the log) so the latency count equals the messages counted.
    /// </summary>
    private static void TakeStragglers(BenchRun run, Measured measured, HdrIntervalLog? hdrLog)
    {
        var rest = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
        run.TakeInterval(rest);
        if (rest.TotalCount == 0)
            return;
        measured.Latency.Add(rest);
        rest.StartTimeStamp = rest.EndTimeStamp = (measured.From + measured.Elapsed).ToUnixTimeMilliseconds();
        hdrLog?.Append(rest);
    }

    /// <summary>With <see cref="BenchOptions.StartAt"/>: the connections are open; the load starts at that wall-clock time.</summary>
    private static async Task WaitForStartAsync(BenchOptions options, CancellationToken ct)
    {
        if (options.StartAt is not { } at)
            return;
        TimeSpan wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, ct).ConfigureAwait(false);
    }

    /// <summary>With <see cref="BenchOptions.ConnectRate"/>: waits until connect number <paramref name="i"/> may start (counted from <paramref name="started"/>).</summary>
    internal static TimeSpan ConnectSlot(BenchOptions options, int i, long started)
    {
        if (options.ConnectRate is not double rate)
            return TimeSpan.Zero;
        TimeSpan wait = TimeSpan.FromSeconds(i / rate) - Stopwatch.GetElapsedTime(started);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static async Task<Opened> OpenAsync(BenchOptions options, int count, Func<int, IPAddress?> source, CancellationToken ct)
    {
        var sockets = new Socket?[count];
        int failures = 0;
        NetworkException? first = null;
        long started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            TimeSpan slot = ConnectSlot(options, i, started);
            if (slot > TimeSpan.Zero)
                await Task.Delay(slot, token).ConfigureAwait(false);
            try
            {
                sockets[i] = await ConnectAsync(options.Target, source(i), options.ConnectTimeout, token).ConfigureAwait(false);
            }
            catch (NetworkException ex)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref first, ex, null);
            }
        }).ConfigureAwait(false);
        return new Opened(sockets.OfType<Socket>().ToList(), failures, first);
    }

    /// <summary>With TLS, one handshake per connection (the first failure ends the run: exit code of a TLS failure).</summary>
    private static async Task<Stream?[]> HandshakeAsync(BenchOptions options, List<Socket> sockets, CancellationToken ct)
    {
        var streams = new Stream?[sockets.Count];
        if (options.Tls is null)
            return streams;
        await Parallel.ForEachAsync(Enumerable.Range(0, sockets.Count), new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = ct }, async (i, token) =>
            streams[i] = await Tls.TlsClient.AuthenticateAsync(sockets[i], options.TlsHost, options.Tls, token).ConfigureAwait(false)).ConfigureAwait(false);
        return streams;
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint target, IPAddress? source, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        string address = EndpointText.HostPort(target);
        try
        {
            if (source is not null)
            {
                // Pick the port at connect time, per destination, not at bind time.
                try { socket.SetRawSocketOption(LinuxSocketConstants.IpProtoIp, LinuxSocketConstants.IpBindAddressNoPort, BitConverter.GetBytes(1)); }
                catch (SocketException) { }
                socket.Bind(new IPEndPoint(source, 0));
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            await socket.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new NetworkException(NetworkErrorKind.TimedOut, NetworkOperation.Connect, address, NetworkException.TimedOutAfter(timeout));
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw NetworkException.From(ex, NetworkOperation.Connect, address, source?.ToString());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the load, then times warm-up and the measured time; samples throughput and latency every
    /// interval. Without warm-up, measuring starts before the first message.
    /// </summary>
    private static async Task<Measured> SampleAsync(BenchRun run, IBenchLoad[] connections, Action startLoad, Action<BenchSample>? progress, HdrIntervalLog? hdrLog, CancellationToken ct)
    {
        BenchOptions options = run.Options;
        var total = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
        var interval = new LongHistogram(1, BenchRun.HighestLatencyNanos, 3);
        var timeline = new List<BenchSample>();
        long started = Stopwatch.GetTimestamp();
        long measureFrom = 0;
        int gen0 = 0;
        long allocated = 0;
        TimeSpan cpu = TimeSpan.Zero;
        long lastCount = 0;
        long lastTick = started;
        DateTimeOffset from = DateTimeOffset.UtcNow;
        DateTimeOffset lastWall = from;

        void BeginMeasuring(long now)
        {
            run.TakeInterval(interval); // Drops nothing: nothing is recorded before measuring.
            measureFrom = now;
            from = lastWall = DateTimeOffset.UtcNow;
            gen0 = GC.CollectionCount(0);
            allocated = GC.GetTotalAllocatedBytes();
            cpu = Environment.CpuUsage.TotalTime;
            run.StartMeasuring();
        }

        if (options.Warmup <= TimeSpan.Zero)
            BeginMeasuring(started);
        run.Schedule?.Start(started);
        startLoad();
        using var timer = new PeriodicTimer(options.SampleInterval);
        while (true)
        {
            bool cancelled = false;
            try { await timer.WaitForNextTickAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { cancelled = true; }

            long now = Stopwatch.GetTimestamp();
            bool measuring = run.Measuring;
            bool ending = cancelled || run.Stopping
                || (measuring && Stopwatch.GetElapsedTime(measureFrom, now) >= options.Duration)
                || (!measuring && options.Duration <= TimeSpan.Zero && Stopwatch.GetElapsedTime(started, now) >= options.Warmup);
            if (ending)
            {
                run.Stop();
                if (measureFrom == 0)
                    measureFrom = now;
            }

            long count = connections.Sum(c => c.Completed);
            long lost = connections.Sum(c => c.Lost);
            run.TakeInterval(interval);
            total.Add(interval);
            DateTimeOffset wall = DateTimeOffset.UtcNow;
            if (measuring && hdrLog is not null)
            {
                interval.StartTimeStamp = lastWall.ToUnixTimeMilliseconds();
                interval.EndTimeStamp = wall.ToUnixTimeMilliseconds();
                hdrLog.Append(interval);
            }
            lastWall = wall;
            double seconds = Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds;
            var sample = new BenchSample(
                measuring ? Stopwatch.GetElapsedTime(measureFrom, now) : Stopwatch.GetElapsedTime(started, now) - options.Warmup,
                measuring,
                count - lastCount,
                seconds > 0 ? (count - lastCount) / seconds : 0,
                interval.TotalCount > 0 ? interval.GetValueAtPercentile(99) / 1000.0 : 0,
                connections.Length)
            {
                Lost = lost,
                Errors = run.Errors,
                AskedPerSecond = run.Schedule is { } schedule && seconds > 0 ? schedule.DueBetween(lastTick, now) / seconds : null,
            };
            timeline.Add(sample);
            progress?.Invoke(sample);
            lastCount = count;
            lastTick = now;

            if (ending)
            {
                return new Measured(Stopwatch.GetElapsedTime(measureFrom, now), total, timeline,
                    GC.CollectionCount(0) - gen0, GC.GetTotalAllocatedBytes() - allocated, Environment.CpuUsage.TotalTime - cpu,
                    run.Schedule?.DueBetween(measureFrom, now), from);
            }
            if (!measuring && Stopwatch.GetElapsedTime(started, now) >= options.Warmup)
                BeginMeasuring(now);
        }
    }

    /// <summary>Lets every connection finish its messages in flight; closes those that do not in time.</summary>
    private static async Task DrainAsync(BenchRun run, IBenchLoad[] connections, Task[] loops)
    {
        Task all = Task.WhenAll(loops);
        if (await Task.WhenAny(all, Task.Delay(run.Options.DrainTimeout)).ConfigureAwait(false) != all)
        {
            run.Abort();
            foreach (IBenchLoad c in connections)
                c.Socket.Dispose();
        }
        await all.ConfigureAwait(false); // The loops never throw: failures are counted.
    }

    /// <summary>Each idle connection sends one short message and must get it back unchanged.</summary>
    private static async Task<int> CheckIdleAsync(EchoPattern pattern, List<Socket> sockets, TimeSpan timeout)
    {
        int echoed = 0;
        using var deadline = new CancellationTokenSource(timeout);
        await Parallel.ForEachAsync(Enumerable.Range(0, sockets.Count), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, _) =>
        {
            Socket s = sockets[i];
            long start = EchoPattern.StartOf(i);
            var buffer = new byte[CheckSize];
            try
            {
                await s.SendAsync(pattern.Slice(start, CheckSize), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                int got = 0;
                while (got < CheckSize)
                {
                    int n = await s.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                    if (n == 0)
                        return;
                    got += n;
                }
                if (pattern.FirstMismatch(buffer, start) < 0)
                    Interlocked.Increment(ref echoed);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Counted as an idle failure.
            }
        }).ConfigureAwait(false);
        return echoed;
    }
}
