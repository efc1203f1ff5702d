using System.CommandLine;
using System.Net.Sockets;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Cli.Output;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;
using SocketLab.Core.Tls;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab client HOST [PORT]</c>: the seed's tcpClient — greet, show and echo.</summary>
public static class ClientCommand
{
    public const string SeedGreeting = "hello mPython,I am TCP Client";

    private sealed record Settings(
        string Host, int Port, string Greeting, bool Echo, bool Interactive, TimeSpan ConnectTimeout,
        bool Reconnect, int MaxAttempts, TimeSpan BackoffInitial, TimeSpan BackoffMax, TimeSpan IdleTimeout, TlsClientOptions? Tls, bool BoardStrict);

    public static Command Create()
    {
        Argument<string> host = new("host") { Description = "Server name or IP address" };
        Argument<int> port = new("port")
        {
            Description = $"Server port [default: {TcpServerOptions.DefaultPort}]",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => TcpServerOptions.DefaultPort,
            CustomParser = r => CommonOptions.ParsePort(r, "PORT"),
        };
        Option<string> greeting = new("--greeting", "-g") { Description = $"First message sent after connecting; empty for none [default: \"{SeedGreeting}\"]", DefaultValueFactory = _ => SeedGreeting };
        Option<bool> noEcho = new("--no-echo") { Description = "Do not send received data back (default with -i)" };
        Option<bool> echo = new("--echo") { Description = "Send received data back even with -i" };
        Option<bool> interactive = new("--interactive", "-i") { Description = "Send each line typed on stdin; end of input half-closes the connection" };
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long [default: 10s]", TimeSpan.FromSeconds(10));
        Option<bool> reconnect = new("--reconnect", "-r") { Description = "Reconnect after a failure or close, with exponential back-off and jitter" };
        Option<int> maxAttempts = CommonOptions.Count("--max-attempts", "With --reconnect: give up after this many failed connects in a row (0 = never) [default: 0]", 0);
        Option<TimeSpan> backoff = CommonOptions.Duration("--backoff", "With --reconnect: first delay [default: 500ms]", TimeSpan.FromMilliseconds(500));
        Option<TimeSpan> backoffMax = CommonOptions.Duration("--backoff-max", "With --reconnect: longest delay [default: 30s]", TimeSpan.FromSeconds(30));
        Option<TimeSpan> idleTimeout = CommonOptions.Duration("--idle-timeout", "Close the connection after this long with no data either way (0 = never) [default: 0]", TimeSpan.Zero);
        Option<bool> boardStrict = ServerCommand.BoardStrictOption();
        var display = new DisplayOptionSet();
        var board = new BoardOptionSet();
        var framing = new FramingOptionSet();
        var record = new RecordOptionSet();
        var tls = new ClientTlsOptionSet();

        var command = new Command("client", "Connect to a TCP server, send a greeting, show what arrives and echo it back (the seed's tcpClient)")
        {
            host, port, greeting, noEcho, echo, interactive, connectTimeout, reconnect, maxAttempts, backoff, backoffMax, idleTimeout, boardStrict,
        };
        tls.AddTo(command);
        display.AddTo(command, print: true);
        board.AddTo(command, needs: display.Oled);
        framing.AddTo(command);
        record.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            bool isInteractive = r.GetValue(interactive);
            var settings = new Settings(
                r.GetValue(host)!, r.GetValue(port), r.GetValue(greeting) ?? "",
                r.GetValue(echo) || (!isInteractive && !r.GetValue(noEcho)), isInteractive,
                r.GetValue(connectTimeout), r.GetValue(reconnect), r.GetValue(maxAttempts),
                r.GetValue(backoff), r.GetValue(backoffMax),
                r.GetValue(idleTimeout) is { } idle && idle > TimeSpan.Zero ? idle : Timeout.InfiniteTimeSpan,
                tls.Resolve(r), r.GetValue(boardStrict));
            OledDisplay? oled = null;
            if (r.GetValue(display.Oled) && (oled = board.CreateDisplay(r, "socketlab client")) is null)
                return ExitCodes.Usage;
            if (!record.TryOpen(r, out TranscriptWriter? recorder))
                return ExitCodes.FileError;
            using (recorder)
                return await RunAsync(settings, display.Display(r, prefix: false) with { ShowSent = false }, display.Input(r), oled,
                    sink => TcpObservers.Create(r, framing, recorder, sink, role: "client", settings.BoardStrict)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(Settings s, DisplayOptions display, SendInput input, OledDisplay? oled, Func<ConsoleSink, List<IConnectionObserver>> createObservers)
    {
        byte[]? greeting = null;
        if (s.Greeting.Length > 0)
        {
            if (!input.TryEncode(s.Greeting, out greeting, out string? error))
            {
                Console.Error.WriteLine($"socketlab: --greeting: {error}");
                return ExitCodes.Usage;
            }
            if (!input.Hex)
                greeting = input.Encoding.GetBytes(s.Greeting); // The greeting is sent as written, without --eol.
        }

        using var termination = new Termination();
        CancellationToken stop = termination.Token;
        await using var sink = new ConsoleSink(display);
        await using OledPanel? panel = oled is null ? null : OledPanel.ForClient(sink, oled);
        // The console (behind --frame), the --record transcript, then the OLED panel.
        List<IConnectionObserver> observers = createObservers(sink);
        if (panel is not null)
            observers.Add(panel);
        var observer = new ObserverFanout(observers);
        var backoff = new ReconnectBackoff(s.BackoffInitial, s.BackoffMax);
        ChannelReader<string>? stdin = s.Interactive ? StdinLines.Start() : null;
        int failures = 0;
        long attempt = 0;

        while (!stop.IsCancellationRequested)
        {
            attempt++;
            Socket socket;
            Stream? stream;
            try
            {
                (socket, stream) = await OpenAsync(s, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (NetworkException ex)
            {
                failures++;
                if (!s.Reconnect || (s.MaxAttempts > 0 && failures >= s.MaxAttempts))
                {
                    sink.Error(ex.Message);
                    return ExitCodes.For(ex.Kind);
                }
                if (!await WaitAsync(sink, backoff, ex.Message, stop).ConfigureAwait(false))
                    break;
                continue;
            }

            failures = 0;
            var watcher = new ClientObserver(observer);
            var connectionOptions = new TcpConnectionOptions { Echo = s.Echo, IdleTimeout = s.IdleTimeout };
            var connection = new TcpConnection(attempt, socket, s.BoardStrict ? connectionOptions.AsBoardReads() : connectionOptions, watcher, stream);
            if (!display.Json && s.Reconnect)
                sink.Error($"connected to {EndpointText.HostPort(connection.RemoteEndPoint)}");
            Task run = connection.RunAsync();
            DateTimeOffset connectedAt = DateTimeOffset.Now;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
            try
            {
                if (greeting is not null)
                    await connection.SendAsync(greeting, stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The receive loop reports how the connection ended.
            }
            Task pump = stdin is null ? Task.CompletedTask : PumpAsync(stdin, connection, sink, input, linked.Token);

            await Task.WhenAny(run, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
            linked.Cancel();
            if (!run.IsCompleted)
            {
                connection.Close();
                await run.ConfigureAwait(false);
            }
            await pump.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);

            ClientObserver.Outcome outcome = watcher.Result;
            if (stop.IsCancellationRequested)
                break;
            if (!s.Reconnect)
                return outcome.Reason switch
                {
                    CloseReason.Reset => ExitCodes.ConnectionReset,
                    CloseReason.IdleTimeout => ExitCodes.TimedOut,
                    _ => ExitCodes.Ok,
                };
            if (DateTimeOffset.Now - connectedAt > TimeSpan.FromSeconds(5))
                backoff.Reset();
            string why = outcome.Reason == CloseReason.Reset ? outcome.Detail ?? "connection reset" : "server closed the connection";
            if (!await WaitAsync(sink, backoff, why, stop).ConfigureAwait(false))
                break;
        }
        return ExitCodes.Ok;
    }

    /// <summary>Connects and, with --tls, runs the handshake; failures of either are <see cref="NetworkException"/>s.</summary>
    private static async Task<(Socket Socket, Stream? Stream)> OpenAsync(Settings s, CancellationToken stop)
    {
        Socket socket = await TcpConnector.ConnectAsync(s.Host, s.Port, s.ConnectTimeout, stop).ConfigureAwait(false);
        if (s.Tls is null)
            return (socket, null);
        try
        {
            return (socket, await TlsClient.AuthenticateAsync(socket, s.Host, s.Tls, stop).ConfigureAwait(false));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<bool> WaitAsync(ConsoleSink sink, ReconnectBackoff backoff, string why, CancellationToken stop)
    {
        TimeSpan delay = backoff.Next();
        sink.Error($"{why}; reconnecting in {delay.TotalSeconds:0.0} s");
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task PumpAsync(ChannelReader<string> lines, TcpConnection connection, ConsoleSink sink, SendInput input, CancellationToken ct)
    {
        try
        {
            await foreach (string line in lines.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (!input.TryEncode(line, out byte[]? bytes, out string? error))
                {
                    sink.Error(error);
                    continue;
                }
                await connection.SendAsync(bytes, ct).ConfigureAwait(false);
            }
            // End of input: half-close, and keep showing what the server still sends.
            await connection.ShutdownSendAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Remembers how the connection ended, and passes events on to the console.</summary>
    private sealed class ClientObserver(IConnectionObserver inner) : IConnectionObserver
    {
        public readonly record struct Outcome(CloseReason Reason, string? Detail);

        public Outcome Result { get; private set; }

        public void OnConnected(TcpConnection c) => inner.OnConnected(c);
        public void OnReceived(TcpConnection c, ReadOnlySpan<byte> data) => inner.OnReceived(c, data);
        public void OnSent(TcpConnection c, ReadOnlySpan<byte> data) => inner.OnSent(c, data);

        public void OnClosed(TcpConnection c, CloseReason reason, string? detail)
        {
            Result = new Outcome(reason, detail);
            inner.OnClosed(c, reason, detail);
        }
    }
}
