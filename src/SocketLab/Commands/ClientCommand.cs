using System.CommandLine;
using System.Net.Sockets;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Cli.Output;
using SocketLab.Core.Capture;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Transcripts;
using SocketLab.Core.Text;
using SocketLab.Core.Tls;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab client HOST [PORT]</c>: the seed's tcpClient — greet, show and echo.</summary>
public static class ClientCommand
{
    public const string SeedGreeting = "hello mPython,I am TCP Client";

    private sealed record Settings(
        string Host, int Port, string Greeting, bool GreetingAsText, bool Echo, bool LoopGuard, bool Interactive, TimeSpan ConnectTimeout,
        bool Reconnect, int MaxAttempts, TimeSpan BackoffInitial, TimeSpan BackoffMax, TimeSpan IdleTimeout, TlsClientOptions? Tls,
        bool BoardStrict, ScriptedSends Sends);

    /// <summary>What the client sends by itself after the greeting: a timed message, a file in chunks.</summary>
    private sealed record ScriptedSends(string? Message, TimeSpan? Every, int Count, string? File, int Chunk, TimeSpan Delay)
    {
        public bool Any => Message is not null || File is not null;
    }

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
        Option<bool> noLoopGuard = CommonOptions.NoLoopGuard("server");
        Option<bool> interactive = new("--interactive", "-i") { Description = "Send each line typed on stdin; end of input half-closes the connection" };
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long [default: 10s]", TimeSpan.FromSeconds(10));
        Option<bool> reconnect = new("--reconnect", "-r") { Description = "Reconnect after a failure or close, with exponential back-off and jitter" };
        Option<int> maxAttempts = CommonOptions.Count("--max-attempts", "With --reconnect: give up after this many failed connects in a row (0 = never) [default: 0]", 0);
        Option<TimeSpan> backoff = CommonOptions.Duration("--backoff", "With --reconnect: first delay [default: 500ms]", TimeSpan.FromMilliseconds(500));
        Option<TimeSpan> backoffMax = CommonOptions.Duration("--backoff-max", "With --reconnect: longest delay [default: 30s]", TimeSpan.FromSeconds(30));
        Option<TimeSpan> idleTimeout = CommonOptions.Duration("--idle-timeout", "Close the connection after this long with no data either way (0 = never) [default: 0]", TimeSpan.Zero);
        Option<string> message = new("--message", "-m") { Description = "A message to send after the greeting (read like a typed line: --hex, --escapes, --macros, --append, --eol)" };
        Option<TimeSpan?> every = CommonOptions.PositiveDuration("--every", "Send --message again every this long (timed send)");
        Option<int?> count = new("--count") { Description = "With --every: how many sends in all (0 = until stopped) [default: 0]" };
        Option<string> sendFile = new("--send-file") { Description = "Send this file after the greeting (and --message), in --chunk pieces --delay apart" };
        Option<long> chunk = CommonOptions.Size("--chunk", "With --send-file: bytes per piece [default: 8k]", 8 * 1024);
        Option<TimeSpan> delay = CommonOptions.Duration("--delay", "With --send-file: pause between pieces [default: 0]", TimeSpan.Zero);
        Option<bool> boardStrict = ServerCommand.BoardStrictOption();
        var display = new DisplayOptionSet();
        var board = new BoardOptionSet();
        var framing = new FramingOptionSet();
        var record = new RecordOptionSet();
        var save = new SaveOptionSet(perConnection: false);
        var tls = new ClientTlsOptionSet();

        var command = new Command("client", "Connect to a TCP server, send a greeting, show what arrives and echo it back (the seed's tcpClient)")
        {
            host, port, greeting, noEcho, echo, noLoopGuard, interactive, connectTimeout, reconnect, maxAttempts, backoff, backoffMax, idleTimeout, boardStrict,
            message, every, count, sendFile, chunk, delay,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(every) is not null && r.GetValue(message) is null)
                r.AddError("--every needs --message (what to send)");
            if (r.GetValue(count) is { } n && (n < 0 || r.GetValue(every) is null))
                r.AddError(n < 0 ? "--count must be 0 or more" : "--count needs --every");
            if (r.GetResult(chunk) is { Implicit: false } && r.GetValue(chunk) is < 1 or > 16 * 1024 * 1024)
                r.AddError("--chunk must be from 1 byte to 16M");
        });
        tls.AddTo(command);
        display.AddTo(command, print: true);
        board.AddTo(command, needs: display.Oled);
        framing.AddTo(command);
        record.AddTo(command);
        save.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            bool isInteractive = r.GetValue(interactive);
            // "HOST:PORT" as one argument, as ncat and the page take it (an IPv6 address needs [brackets]).
            string hostText = r.GetValue(host)!;
            int portNumber = r.GetValue(port);
            if (r.GetResult(port) is null or { Implicit: true } && SplitHostPort(hostText) is { } split)
                (hostText, portNumber) = split;
            var settings = new Settings(
                hostText, portNumber, r.GetValue(greeting) ?? "",
                // The seed's greeting is text even in --hex mode; a greeting given with --hex is hex.
                r.GetResult(greeting) is null or { Implicit: true },
                r.GetValue(echo) || (!isInteractive && !r.GetValue(noEcho)), !r.GetValue(noLoopGuard), isInteractive,
                r.GetValue(connectTimeout), r.GetValue(reconnect), r.GetValue(maxAttempts),
                r.GetValue(backoff), r.GetValue(backoffMax),
                r.GetValue(idleTimeout) is { } idle && idle > TimeSpan.Zero ? idle : Timeout.InfiniteTimeSpan,
                tls.Resolve(r), r.GetValue(boardStrict),
                new ScriptedSends(r.GetValue(message), r.GetValue(every), r.GetValue(count) ?? (r.GetValue(every) is null ? 1 : 0),
                    r.GetValue(sendFile), (int)r.GetValue(chunk), r.GetValue(delay)));
            if (settings.Sends.File is { } file && !File.Exists(file))
            {
                Console.Error.WriteLine($"socketlab client: --send-file: no such file '{file}'");
                return ExitCodes.FileError;
            }
            OledDisplay? oled = null;
            if (r.GetValue(display.Oled) && (oled = board.CreateDisplay(r, "socketlab client")) is null)
                return ExitCodes.Usage;
            if (!record.TryOpen(r, out TranscriptWriter? recorder) || !save.TryOpen(r, out ReceivedFiles? saver))
                return ExitCodes.FileError;
            using (recorder)
            using (saver)
                return SaveOptionSet.ExitCode(RecordOptionSet.ExitCode(await RunAsync(settings, display.Display(r, prefix: false) with { ShowSent = false }, display.Input(r), oled,
                    recorder, sink => SaveOptionSet.With(TcpObservers.Create(r, framing, recorder, sink, role: "client", settings.BoardStrict, _ => isInteractive
                        ? "echo is off now: type '/echo on' to turn it back on, or start with --no-loop-guard"
                        : "echo is off now (start with --no-loop-guard to keep echoing)"), saver, sink)).ConfigureAwait(false), recorder), saver);
        });
        return command;
    }

    private static async Task<int> RunAsync(Settings s, DisplayOptions display, SendInput input, OledDisplay? oled, TranscriptWriter? recorder, Func<ConsoleSink, List<IConnectionObserver>> createObservers)
    {
        byte[]? greeting = null;
        if (s.Greeting.Length > 0)
        {
            if (s.GreetingAsText || !input.Hex)
                greeting = input.Encoding.GetBytes(s.Greeting); // The greeting is sent as written, without --eol.
            else if (!input.TryEncode(s.Greeting, out greeting, out string? error))
            {
                Console.Error.WriteLine($"socketlab: --greeting: {error}");
                return ExitCodes.Usage;
            }
        }
        // Checked once up front (on a throwaway context, so the counters start where they should).
        if (s.Sends.Message is { } first && !(input.Macros is null ? input : input with { Macros = new MacroContext() }).TryEncode(first, out _, out string? messageError))
        {
            Console.Error.WriteLine($"socketlab: --message: {messageError}");
            return ExitCodes.Usage;
        }

        using var termination = new Termination();
        CancellationToken stop = termination.Token;
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, stop);
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
            var connectionOptions = new TcpConnectionOptions { Echo = s.Echo, EchoLoopGuard = s.LoopGuard, IdleTimeout = s.IdleTimeout, PortableSockets = SocketEngineSettings.PortableSockets };
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
            catch (ConnectionClosedException)
            {
                // The receive loop reports how the connection ended.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            Task pump = stdin is null ? Task.CompletedTask : PumpAsync(stdin, connection, sink, input, linked.Token);
            Task scripted = s.Sends.Any ? SendScriptedAsync(s.Sends, connection, sink, input, linked.Token) : Task.CompletedTask;

            await Task.WhenAny(run, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
            linked.Cancel();
            if (!run.IsCompleted)
            {
                connection.Close();
                await run.ConfigureAwait(false);
            }
            await pump.ConfigureAwait(false);
            await scripted.ConfigureAwait(false);
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

    /// <summary>"127.0.0.1:5001" or "[::1]:5001" as host and port; null for a bare host (or a bare IPv6 address).</summary>
    internal static (string Host, int Port)? SplitHostPort(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || text.IndexOf(':') != colon && !text.StartsWith('['))
            return null;
        if (!int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            return null;
        return (text[..colon].Trim('[', ']'), port);
    }

    /// <summary>--message (once, or every --every up to --count times; fields are built anew each time), then --send-file in chunks.</summary>
    private static async Task SendScriptedAsync(ScriptedSends plan, TcpConnection connection, ConsoleSink sink, SendInput input, CancellationToken ct)
    {
        try
        {
            if (plan.Message is { } text)
            {
                using PeriodicTimer? timer = plan.Every is { } every ? new PeriodicTimer(every) : null;
                for (int sent = 0; plan.Count == 0 || sent < plan.Count; sent++)
                {
                    if (sent > 0 && (timer is null || !await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)))
                        break;
                    if (!input.TryEncode(text, out byte[]? bytes, out string? error))
                    {
                        sink.Error($"--message: {error}");
                        return;
                    }
                    await connection.SendAsync(bytes, ct).ConfigureAwait(false);
                }
            }
            if (plan.File is { } path)
                await SendFileAsync(path, plan, connection, sink, ct).ConfigureAwait(false);
        }
        catch (ConnectionClosedException)
        {
            // The connection ended: its receive loop says how.
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            sink.Error($"--send-file: {ex.Message}");
        }
    }

    private static async Task SendFileAsync(string path, ScriptedSends plan, TcpConnection connection, ConsoleSink sink, CancellationToken ct)
    {
        await using FileStream file = File.OpenRead(path);
        long total = file.Length, sent = 0, shown = 0;
        byte[] buffer = new byte[plan.Chunk];
        // Progress on a terminal, a line per tenth; one closing line either way.
        bool progress = !Console.IsErrorRedirected;
        int n;
        while ((n = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            await connection.SendAsync(buffer.AsMemory(0, n).ToArray(), ct).ConfigureAwait(false);
            sent += n;
            if (progress && total > 0 && sent - shown >= total / 10 && sent < total)
            {
                shown = sent;
                sink.Error($"sending {Path.GetFileName(path)}: {sent} / {total} bytes ({100 * sent / total} %)");
            }
            if (plan.Delay > TimeSpan.Zero)
                await Task.Delay(plan.Delay, ct).ConfigureAwait(false);
        }
        sink.Error($"sent file {Path.GetFileName(path)}: {sent} bytes");
    }

    private static async Task PumpAsync(ChannelReader<string> lines, TcpConnection connection, ConsoleSink sink, SendInput input, CancellationToken ct)
    {
        try
        {
            await foreach (string line in lines.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (EchoCommand(line, connection, sink) is not { } text)
                    continue;
                if (!input.TryEncode(text, out byte[]? bytes, out string? error))
                {
                    sink.Error(error);
                    continue;
                }
                await connection.SendAsync(bytes, ct).ConfigureAwait(false);
            }
            // End of input: half-close, and keep showing what the server still sends.
            await connection.ShutdownSendAsync().ConfigureAwait(false);
        }
        catch (ConnectionClosedException)
        {
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// "/echo on" and "/echo off" switch the echo (and "/echo on" re-arms the loop guard): null, nothing to send.
    /// "//echo …" sends "/echo …"; every other line is sent as typed.
    /// </summary>
    internal static string? EchoCommand(string line, TcpConnection connection, ConsoleSink sink)
    {
        switch (line.Trim())
        {
            case "/echo on":
            case "/echo off":
                connection.Echo = line.Trim() == "/echo on";
                sink.Error($"echo {(connection.Echo ? "on" : "off")}");
                return null;
            default:
                return line.StartsWith("//echo", StringComparison.Ordinal) ? line[1..] : line;
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
        public void OnEchoLoop(TcpConnection c, EchoLoopInfo loop) => inner.OnEchoLoop(c, loop);

        public void OnClosed(TcpConnection c, CloseReason reason, string? detail)
        {
            Result = new Outcome(reason, detail);
            inner.OnClosed(c, reason, detail);
        }
    }
}
