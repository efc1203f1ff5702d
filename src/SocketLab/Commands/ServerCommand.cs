using System.CommandLine;
using System.Net;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Cli.Output;
using SocketLab.Core.Capture;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab server</c>: the seed's tcpServer, serving many clients at once.</summary>
public static class ServerCommand
{
    public static Command Create()
    {
        Option<int> port = CommonOptions.Port(TcpServerOptions.DefaultPort);
        Option<IPAddress> bind = CommonOptions.Address("--bind", "Local address to listen on [default: all interfaces, IPv4 and IPv6]", IPAddress.IPv6Any);
        Option<int> backlog = CommonOptions.Count("--backlog", $"Pending-connection queue length (the seed used {TcpServerOptions.BoardBacklog}) [default: {TcpServerOptions.DefaultBacklog}; {TcpServerOptions.BoardBacklog} with --board]", TcpServerOptions.DefaultBacklog, min: 1);
        Option<int> maxClients = CommonOptions.Count("--max-clients", "Clients served at once; more are accepted and closed at once (0 = no limit) [default: 0]", 0);
        Option<bool> noEcho = new("--no-echo") { Description = "Do not send received data back" };
        Option<bool> noLoopGuard = CommonOptions.NoLoopGuard("client");
        Option<bool> boardMode = new("--board") { Description = "Serve as the seed's board program does: listen(3), one client at a time (the next ones wait in the kernel's queue and are served in turn, 'accepting.....' between them), with --board-strict" };
        Option<bool> boardStrict = BoardStrictOption();
        Option<TimeSpan> idleTimeout = CommonOptions.Duration("--idle-timeout", "Close a client after this long with no data either way (0 = never) [default: 0]", TimeSpan.Zero);
        Option<TimeSpan> stats = CommonOptions.Duration("--stats", "Every this long, print clients, bytes, memory and GC counts (stderr; a \"stats\" event with --json) [default: off]", TimeSpan.Zero);
        Option<SocketEngine> engine = CommonOptions.Choice("--engine", "What serves plain TCP clients (epoll: SocketLab's own loops, Linux; uring: SocketLab's own io_uring loops, Linux 6.0+; async: .NET async sockets, any platform; TLS always runs on async)", SocketEngine.Auto);
        Option<TimeSpan> busyPoll = CommonOptions.Duration("--busy-poll", "Epoll and uring engines: after traffic, keep polling this long before sleeping, so the next message needs no wake-up (0 = sleep at once) [default: 50us]", TcpServerOptions.DefaultBusyPoll);
        Option<TimeSpan> shutdownTimeout = CommonOptions.Duration("--shutdown-timeout", "On Ctrl+C, how long clients get to receive what they are owed before being reset [default: 5s]", TimeSpan.FromSeconds(5));
        var display = new DisplayOptionSet();
        var board = new BoardOptionSet();
        var framing = new FramingOptionSet();
        var save = new SaveOptionSet(perConnection: true);
        var record = new RecordOptionSet();
        var access = new AccessOptionSet();
        var tls = new ServerTlsOptionSet();

        var command = new Command("server", "Listen for TCP clients, show what they send and echo it back (the seed's tcpServer)")
        {
            port, bind, backlog, maxClients, noEcho, noLoopGuard, boardMode, boardStrict, idleTimeout, shutdownTimeout, stats, engine, busyPoll,
        };
        access.AddTo(command);
        tls.AddTo(command);
        display.AddTo(command);
        board.AddTo(command, needs: display.Oled);
        framing.AddTo(command);
        record.AddTo(command);
        save.AddTo(command);
        CommonOptions.Validate(command, r =>
        {
            bool tlsAsked = r.GetResult(tls.Tls) is not null || r.GetResult(tls.Cert) is not null;
            SocketEngine? asked = CommonOptions.Given(r, engine);
            if (asked is SocketEngine.Epoll && tlsAsked)
                r.AddError("--engine epoll serves plain TCP only: not with --tls or --cert");
            else if (asked is SocketEngine.Epoll && !TcpServer.IsEpollSupported)
                r.AddError("--engine epoll needs Linux on x64 or arm64; use --engine async");
            else if (asked is SocketEngine.Uring && tlsAsked)
                r.AddError("--engine uring serves plain TCP only: not with --tls or --cert");
            else if (asked is SocketEngine.Uring && Core.Uring.UringSupport.Unavailable is { } why)
                r.AddError($"--engine uring cannot run here: {why}; use --engine epoll");
            else if (CommonOptions.Given(r, busyPoll) > TimeSpan.Zero && (tlsAsked || asked is SocketEngine.Async || !TcpServer.IsEpollSupported))
                r.AddError("--busy-poll works on the epoll and uring engines only: plain TCP on Linux, not with --tls, --cert or --engine async");
        });
        command.SetAction(async (r, _) =>
        {
            bool asBoard = r.GetValue(boardMode);
            bool strict = asBoard || r.GetValue(boardStrict);
            var options = new TcpServerOptions
            {
                Port = r.GetValue(port),
                BindAddress = r.GetValue(bind)!,
                Backlog = r.GetValue(backlog),
                MaxClients = r.GetValue(maxClients),
                Access = access.Resolve(r),
                Tls = tls.Resolve(r, line => Console.Error.WriteLine($"socketlab: {line}")),
                ShutdownTimeout = r.GetValue(shutdownTimeout),
                Engine = r.GetValue(engine),
                BusyPoll = r.GetValue(busyPoll),
                Connection = new TcpConnectionOptions
                {
                    Echo = !r.GetValue(noEcho),
                    EchoLoopGuard = !r.GetValue(noLoopGuard),
                    IdleTimeout = r.GetValue(idleTimeout) is { } idle && idle > TimeSpan.Zero ? idle : Timeout.InfiniteTimeSpan,
                    PortableSockets = SocketEngineSettings.PortableSockets,
                },
            };
            if (asBoard)
                options = options.AsBoard() with { Backlog = r.GetResult(backlog) is null ? TcpServerOptions.BoardBacklog : r.GetValue(backlog) }; // an explicit --backlog wins
            else if (strict)
                options = options with { Connection = options.Connection.AsBoardReads() };
            OledDisplay? oled = null;
            if (r.GetValue(display.Oled) && (oled = board.CreateDisplay(r, "socketlab server")) is null)
                return ExitCodes.Usage;
            if (!record.TryOpen(r, out TranscriptWriter? recorder) || !save.TryOpen(r, out ReceivedFiles? saver))
                return ExitCodes.FileError;
            using (recorder)
            using (saver)
                return SaveOptionSet.ExitCode(RecordOptionSet.ExitCode(await RunAsync(options, display.Display(r, prefix: true), display.Input(r), oled, r.GetValue(stats),
                    recorder, sink => SaveOptionSet.With(TcpObservers.Create(r, framing, recorder, sink, role: "server", strict,
                        c => $"echo to #{c.Id} is off now: type '/echo {c.Id} on' to turn it back on, or start with --no-loop-guard"), saver, sink)).ConfigureAwait(false), recorder), saver);
        });
        return command;
    }

    /// <summary>--board-strict, shared with the client (whose seed program reads the same way).</summary>
    public static Option<bool> BoardStrictOption() => new("--board-strict")
    {
        Description = "Read at most 1024 bytes at a time, as the seed's recv(1024), and say in the log when a message reaches the board in pieces, a piece splits a UTF-8 character, or the data is not UTF-8 (the seed's decode() would fail)",
    };

    private static async Task<int> RunAsync(TcpServerOptions options, DisplayOptions display, SendInput input, OledDisplay? oled, TimeSpan statsInterval,
        TranscriptWriter? recorder, Func<ConsoleSink, List<IConnectionObserver>> createObservers)
    {
        using var termination = new Termination();
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, termination.Token);
        await using OledPanel? panel = oled is null ? null : OledPanel.ForServer(sink, oled);
        // The console (behind --frame), the --record transcript, then the OLED panel.
        List<IConnectionObserver> observers = createObservers(sink);
        if (panel is not null)
            observers.Add(panel);
        await using var server = new TcpServer(options, new ObserverFanout(observers));
        server.Warning += sink.Error;
        if (!display.Json)
            server.Accepting += () => sink.Line(BoardScreen.Accepting); // The board's loop prints it before each accept.
        server.Start();

        IPEndPoint local = server.LocalEndPoint;
        sink.Listening("tcp waiting...", local);
        panel?.PostWaiting(BoardScreen.ServerWaiting, local);
        if (!display.Json)
            sink.Line("accepting.....");

        Task stdin = PumpStdinAsync(server, sink, input, termination.Token);
        try
        {
            if (statsInterval > TimeSpan.Zero)
                await ReportStatsAsync(server, sink, statsInterval, termination.Token).ConfigureAwait(false);
            else
                await Task.Delay(Timeout.Infinite, termination.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }

        await server.StopAsync(options.ShutdownTimeout).ConfigureAwait(false);
        await stdin.ConfigureAwait(false); // Ends with the same token.
        sink.Post(new OutputEvent { Kind = EventKind.Summary, Count = server.TotalAccepted, BytesIn = server.TotalBytesIn, BytesOut = server.TotalBytesOut });
        return ExitCodes.Ok;
    }

    /// <summary>--stats: a health line every <paramref name="interval"/> until stopped.</summary>
    private static async Task ReportStatsAsync(TcpServer server, ConsoleSink sink, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            sink.Post(new OutputEvent { Kind = EventKind.Stats, Stats = ProcessStats.Take(server.Connections.Count, server.TotalAccepted, server.TotalRejected, server.TotalBytesIn, server.TotalBytesOut) });
    }

    /// <summary>Lines typed into the server go to every client; "/to ID text", "/clients", "/kick ID", "/echo ID on|off" and "/help" steer it.</summary>
    private static async Task PumpStdinAsync(TcpServer server, ConsoleSink sink, SendInput input, CancellationToken ct)
    {
        ChannelReader<string> lines = StdinLines.Start();
        try
        {
            await foreach (string line in lines.ReadAllAsync(ct).ConfigureAwait(false))
                HandleLine(server, sink, input, line);
        }
        catch (OperationCanceledException) { }
    }

    internal static void HandleLine(TcpServer server, ConsoleSink sink, SendInput input, string line)
    {
        string text = line;
        TcpConnection? target = null;
        if (line.StartsWith('/') && !line.StartsWith("//", StringComparison.Ordinal))
        {
            string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "/clients":
                    if (server.Connections.Count == 0)
                        sink.Line("no clients");
                    foreach (TcpConnection c in server.Connections.OrderBy(c => c.Id))
                        sink.Line($"#{c.Id} {EndpointText.HostPort(c.RemoteEndPoint)} in {c.BytesIn} out {c.BytesOut} since {c.ConnectedAt:HH:mm:ss}{(c.Echo ? "" : " (echo off)")}");
                    return;
                case "/kick" when parts.Length >= 2 && long.TryParse(parts[1].TrimStart('#'), out long kickId):
                    if (server.Find(kickId) is { } k)
                        k.Close();
                    else
                        sink.Error($"no client #{kickId}");
                    return;
                case "/echo" when parts.Length == 3 && long.TryParse(parts[1].TrimStart('#'), out long echoId) && parts[2] is "on" or "off":
                    if (server.Find(echoId) is { } e)
                    {
                        e.Echo = parts[2] == "on";
                        sink.Line($"#{echoId}: echo {parts[2]}");
                    }
                    else
                    {
                        sink.Error($"no client #{echoId}");
                    }
                    return;
                case "/to" when parts.Length >= 2 && long.TryParse(parts[1].TrimStart('#'), out long toId):
                    target = server.Find(toId);
                    if (target is null)
                    {
                        sink.Error($"no client #{toId}");
                        return;
                    }
                    text = parts.Length == 3 ? parts[2] : "";
                    break;
                default:
                    sink.Error("commands: /clients, /to ID TEXT, /kick ID, /echo ID on|off, //TEXT sends TEXT starting with '/'; any other line goes to every client");
                    return;
            }
        }
        else if (line.StartsWith("//", StringComparison.Ordinal))
        {
            text = line[1..];
        }

        if (!input.TryEncode(text, out byte[]? bytes, out string? error))
        {
            sink.Error(error);
            return;
        }
        if (target is not null)
        {
            if (!target.Post(bytes))
                sink.Error($"#{target.Id} is not reading (over {TcpConnectionOptions.DefaultMaxPendingSendBytes / 1024} KiB waiting); nothing sent");
            return;
        }
        (int sent, int skipped) = server.Broadcast(bytes);
        if (sent + skipped == 0)
            sink.Error("no clients connected; nothing sent");
        else if (skipped > 0)
            sink.Error($"sent to {sent} clients; {skipped} not reading, skipped");
    }
}
