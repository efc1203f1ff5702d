using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Cli.Output;
using SocketLab.Core.Capture;
using SocketLab.Core.Net;
using SocketLab.Core.Text;
using SocketLab.Core.Transcripts;
using SocketLab.Core.Udp;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab udp listen|send</c>: the board's udp_server and udp_client (and the phone's UDP Sender / Receiver).</summary>
public static class UdpCommand
{
    /// <summary>What the board's udp_client sends every 2 s.</summary>
    public const string SeedMessage = "hello message from mPython\r\n";

    public static Command Create() => new("udp", "UDP: listen for datagrams from many peers, or send datagrams and wait for replies")
    {
        Listen(),
        Send(),
    };

    private static Option<IPAddress[]> Join() => new("--join")
    {
        Description = "Join this multicast group (repeatable), e.g. 239.1.2.3 or ff02::1234",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r =>
        {
            var groups = new List<IPAddress>();
            foreach (var t in r.Tokens)
            {
                if (IPAddress.TryParse(t.Value.Trim('[', ']'), out IPAddress? a) && IsMulticast(a))
                    groups.Add(a);
                else
                    r.AddError($"--join takes a multicast address (224.0.0.0-239.255.255.255 or ff00::/8), got '{t.Value}'");
            }
            return groups.ToArray();
        },
    };

    private static bool IsMulticast(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetworkV6 ? a.IsIPv6Multicast : (a.GetAddressBytes()[0] & 0xF0) == 0xE0;

    private static Option<IPAddress?> Interface() => new("--interface")
    {
        Description = "IPv4 address of the interface used for multicast (join and send) [default: the OS's choice]",
        CustomParser = r => CommonOptions.Parse(r, text => (IPAddress.TryParse(text, out IPAddress? a) && a.AddressFamily == AddressFamily.InterNetwork, a),
            text => $"--interface takes an IPv4 address such as 192.168.1.10, got '{text}'", null),
    };

    // ---------------------------------------------------------------- listen

    private static Command Listen()
    {
        Option<int> port = CommonOptions.Port(UdpEndpointOptions.DefaultPort, "UDP");
        Option<IPAddress> bind = CommonOptions.Address("--bind", "Local address to listen on [default: all interfaces, IPv4 and IPv6; 0.0.0.0 when joining an IPv4 group]", IPAddress.IPv6Any);
        Option<bool> echo = new("--echo") { Description = "Send every datagram back to its sender, byte-exact" };
        Option<bool> noLoopGuard = CommonOptions.NoLoopGuard("peer");
        Option<bool> broadcast = new("--broadcast") { Description = "Allow replies to broadcast addresses" };
        Option<IPAddress[]> join = Join();
        Option<IPAddress?> nic = Interface();
        Option<int> maxPeers = CommonOptions.Count("--max-peers", "Peers remembered at once (for /peers and /to #ID); past it the least recently heard is forgotten [default: 10000]", 10_000, min: 1);
        var display = new DisplayOptionSet();
        var record = new RecordOptionSet();
        var save = new SaveOptionSet(perConnection: false);
        var board = new BoardOptionSet();

        var command = new Command("listen", "Receive datagrams from any number of peers and print 'received: <data> from <addr>' (the board's udp_server); typed lines reply to the last peer")
        {
            port, bind, echo, noLoopGuard, broadcast, join, nic, maxPeers,
        };
        display.AddTo(command, print: true);
        board.AddTo(command, needs: display.Oled);
        record.AddTo(command);
        save.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            IPAddress[] groups = r.GetValue(join) ?? [];
            IPAddress address = r.GetValue(bind)!;
            if (address.Equals(IPAddress.IPv6Any) && groups.Any(g => g.AddressFamily == AddressFamily.InterNetwork))
                address = IPAddress.Any; // IPv4 group membership needs an IPv4 socket.
            var options = new UdpEndpointOptions
            {
                Port = r.GetValue(port),
                BindAddress = address,
                Echo = r.GetValue(echo),
                EchoLoopGuard = !r.GetValue(noLoopGuard),
                Broadcast = r.GetValue(broadcast),
                MulticastGroups = groups,
                MulticastInterface = r.GetValue(nic),
                MaxPeers = r.GetValue(maxPeers),
            };
            OledDisplay? oled = null;
            if (r.GetValue(display.Oled) && (oled = board.CreateDisplay(r, "socketlab udp listen")) is null)
                return ExitCodes.Usage;
            if (!record.TryOpen(r, out TranscriptWriter? recorder) || !save.TryOpen(r, out ReceivedFiles? saver))
                return ExitCodes.FileError;
            using (recorder)
            using (saver)
                return SaveOptionSet.ExitCode(RecordOptionSet.ExitCode(await ListenAsync(options, display.Display(r, prefix: false), display.Input(r), recorder, oled, saver).ConfigureAwait(false), recorder), saver);
        });
        return command;
    }

    private static async Task<int> ListenAsync(UdpEndpointOptions options, DisplayOptions display, SendInput input, TranscriptWriter? recorder, OledDisplay? oled, ReceivedFiles? saver)
    {
        using var termination = new Termination();
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, termination.Token);
        await using OledPanel? panel = oled is null ? null : OledPanel.ForUdp(sink, oled);
        var observers = new List<IUdpObserver> { new UdpSinkObserver(sink) };
        if (recorder is not null)
            observers.Add(new UdpTranscriptRecorder(recorder, "udp-listen"));
        if (panel is not null)
            observers.Add(panel);
        await using var endpoint = new UdpEndpoint(options, new UdpObserverFanout(SaveOptionSet.With(observers, saver, sink)));
        endpoint.Warning += sink.Error;
        endpoint.Start();

        IPEndPoint local = endpoint.LocalEndPoint;
        sink.Listening("waiting...", local);
        panel?.PostWaiting(BoardScreen.UdpWaiting, local);
        Task stdin = PumpStdinAsync(endpoint, sink, input, termination.Token);
        await termination.WaitAsync().ConfigureAwait(false);

        await endpoint.StopAsync().ConfigureAwait(false);
        await stdin.ConfigureAwait(false);
        // What happened since the start, not the live table (which forgets the least recently heard past --max-peers).
        string forgotten = endpoint.ForgottenPeers > 0 ? $" ({endpoint.ForgottenPeers} forgotten: --max-peers {options.MaxPeers})" : "";
        sink.Error($"{endpoint.TotalPeers} peers{forgotten}, {endpoint.TotalDatagramsIn} datagrams ({endpoint.TotalBytesIn} bytes) in, {endpoint.TotalDatagramsOut} datagrams ({endpoint.TotalBytesOut} bytes) out");
        return ExitCodes.Ok;
    }

    private static async Task PumpStdinAsync(UdpEndpoint endpoint, ConsoleSink sink, SendInput input, CancellationToken ct)
    {
        ChannelReader<string> lines = StdinLines.Start();
        try
        {
            await foreach (string line in lines.ReadAllAsync(ct).ConfigureAwait(false))
                await HandleLineAsync(endpoint, sink, input, line, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>A typed line goes to the last peer; "/to ADDR:PORT text", "/to #ID text", "/peers" and "//text" steer it.</summary>
    internal static async Task HandleLineAsync(UdpEndpoint endpoint, ConsoleSink sink, SendInput input, string line, CancellationToken ct)
    {
        string text = line;
        IPEndPoint? target = endpoint.LastPeer?.EndPoint;
        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            text = line[1..];
        }
        else if (line.StartsWith('/'))
        {
            string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            switch (parts[0])
            {
                case "/peers":
                    if (endpoint.Peers.Count == 0)
                        sink.Line("no peers");
                    foreach (UdpPeer p in endpoint.Peers.OrderBy(p => p.Id))
                        sink.Line($"#{p.Id} {EndpointText.HostPort(p.EndPoint)} in {p.DatagramsIn} datagrams ({p.BytesIn} bytes) out {p.DatagramsOut} ({p.BytesOut} bytes) last {p.LastSeen.ToLocalTime():HH:mm:ss}{(endpoint.Echo && !p.Echo ? " (echo off)" : "")}");
                    return;
                case "/echo" when parts.Length == 2 && parts[1] is "on" or "off":
                    endpoint.Echo = parts[1] == "on"; // On also turns it back on for peers the loop guard cut off.
                    sink.Line($"echo {parts[1]}");
                    return;
                case "/echo" when parts.Length == 3 && parts[2] is "on" or "off":
                    if (!long.TryParse(parts[1].TrimStart('#'), out long id) || endpoint.Find(id) is not { } peer)
                    {
                        sink.Error($"/echo: no peer {parts[1]}; /peers lists them");
                        return;
                    }
                    peer.Echo = parts[2] == "on";
                    if (peer.Echo && !endpoint.Echo)
                        sink.Error($"peer #{id}: echo on, but echo is off for every peer; '/echo on' turns it on");
                    else
                        sink.Line($"peer #{id}: echo {parts[2]}");
                    return;
                case "/to" when parts.Length >= 2:
                    target = ParseTarget(endpoint, parts[1]);
                    if (target is null)
                    {
                        sink.Error($"/to: '{parts[1]}' is neither ADDR:PORT (e.g. 192.168.1.5:6000, [::1]:6000) nor a known peer #ID");
                        return;
                    }
                    text = parts.Length == 3 ? parts[2] : "";
                    break;
                default:
                    sink.Error("commands: /peers, /to ADDR:PORT TEXT, /to #ID TEXT, /echo [ID] on|off, //TEXT sends TEXT starting with '/'; any other line goes to the last peer");
                    return;
            }
        }

        if (target is null)
        {
            sink.Error("no peer has sent anything yet; use /to ADDR:PORT TEXT");
            return;
        }
        if (!input.TryEncode(text, out byte[]? bytes, out string? error))
        {
            sink.Error(error);
            return;
        }
        try
        {
            await endpoint.SendAsync(target, bytes, ct).ConfigureAwait(false);
        }
        catch (NetworkException ex)
        {
            sink.Error(NetworkErrorText.Of(ex));
        }
    }

    private static IPEndPoint? ParseTarget(UdpEndpoint endpoint, string text)
    {
        if (text.StartsWith('#'))
            return long.TryParse(text[1..], out long id) ? endpoint.Find(id)?.EndPoint : null;
        return IPEndPoint.TryParse(text, out IPEndPoint? ep) && ep.Port > 0 ? ep : null;
    }

    // ---------------------------------------------------------------- send

    private static Command Send()
    {
        Argument<string> host = new("host") { Description = "Name or IP address to send to (a broadcast or multicast address works too)" };
        Argument<int> port = new("port")
        {
            Description = "UDP port",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => UdpEndpointOptions.DefaultPort,
            CustomParser = r => CommonOptions.ParsePort(r, "PORT"),
        };
        Argument<string> text = new("text")
        {
            Description = "What to send; escapes \\r \\n \\t \\0 \\\\ \\xNN work; hex with --hex",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "hello message from mPython\\r\\n",
        };
        Option<TimeSpan?> every = CommonOptions.PositiveDuration("--every", "Send again at this interval (the board sends every 2s); with no --count, until Ctrl+C");
        Option<int?> count = CommonOptions.OptionalCount("--count", "How many datagrams to send, 0 = until Ctrl+C [default: 1, or until Ctrl+C with --every]");
        Option<TimeSpan?> waitReply = CommonOptions.PositiveDuration("--wait-reply", "After each send, wait this long for a reply and print it; no reply exits with code 6", "-w");
        Option<bool> broadcast = new("--broadcast") { Description = "Allow sending to a broadcast address such as 255.255.255.255 or 192.168.1.255" };
        Option<IPAddress[]> join = Join();
        Option<IPAddress?> nic = Interface();
        Option<int> localPort = new("--local-port")
        {
            Description = "Send from this local port (the app's \"Local Port\") [default: any free port]",
            CustomParser = r => CommonOptions.ParsePort(r, "--local-port"),
        };
        var display = new DisplayOptionSet();
        var record = new RecordOptionSet();

        var command = new Command("send", "Send datagrams (the board's udp_client: 'hello message from mPython\\r\\n' to port 6000) and show or wait for replies")
        {
            host, port, text, every, count, waitReply, broadcast, join, nic, localPort,
        };
        display.AddTo(command, oled: false); // The board's udp_client draws nothing.
        record.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            SendInput input = display.Input(r);
            string raw = r.GetValue(text)!;
            // TEXT always reads escapes (udp send's way since the start); --append and --eol follow them.
            if (!(input.Hex ? input : input with { Escapes = true }).TryEncode(raw, out byte[]? payload, out string? error))
            {
                Console.Error.WriteLine($"socketlab udp send: TEXT: {error}");
                return ExitCodes.Usage;
            }
            TimeSpan? interval = r.GetValue(every);
            var settings = new SendSettings(
                r.GetValue(host)!, r.GetValue(port), payload, interval, r.GetValue(count) ?? (interval is null ? 1 : 0),
                r.GetValue(waitReply), r.GetValue(broadcast), r.GetValue(join) ?? [], r.GetValue(nic), r.GetValue(localPort));
            if (!record.TryOpen(r, out TranscriptWriter? recorder))
                return ExitCodes.FileError;
            using (recorder)
                return RecordOptionSet.ExitCode(await SendAsync(settings, display.Display(r, prefix: false), recorder).ConfigureAwait(false), recorder);
        });
        return command;
    }

    private sealed record SendSettings(
        string Host, int Port, byte[] Payload, TimeSpan? Every, int Count, TimeSpan? WaitReply,
        bool Broadcast, IPAddress[] Groups, IPAddress? Interface, int LocalPort);

    private static async Task<int> SendAsync(SendSettings s, DisplayOptions display, TranscriptWriter? recorder)
    {
        using var termination = new Termination();
        CancellationToken stop = termination.Token;
        IPAddress address = await HostResolver.ResolveAsync(s.Host, stop, NetworkOperation.Send, s.Host).ConfigureAwait(false);
        var target = new IPEndPoint(address, s.Port);

        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, stop);
        var replies = Channel.CreateUnbounded<UdpPeer>();
        var observers = new List<IUdpObserver> { new UdpSinkObserver(sink), new ReplyWatcher(replies.Writer) };
        if (recorder is not null)
            observers.Add(new UdpTranscriptRecorder(recorder, "udp-send"));
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        await using var endpoint = new UdpEndpoint(new UdpEndpointOptions
        {
            Port = s.LocalPort,
            BindAddress = v6 ? IPAddress.IPv6Any : IPAddress.Any,
            Broadcast = s.Broadcast,
            MulticastGroups = s.Groups,
            MulticastInterface = s.Interface,
        }, new UdpObserverFanout(observers));
        endpoint.Warning += sink.Error;
        try
        {
            endpoint.Start();
        }
        catch (NetworkException ex) when (ex.Operation is NetworkOperation.Bind or NetworkOperation.JoinGroup)
        {
            throw NetworkErrorText.Failure(ex, ListenHint.LocalPort);
        }

        int missed = 0;
        int sent = 0;
        using var timer = s.Every is { } every ? new PeriodicTimer(every) : null;
        try
        {
            while (s.Count == 0 || sent < s.Count)
            {
                while (replies.Reader.TryRead(out _)) { } // Replies to earlier sends do not answer this one.
                await endpoint.SendAsync(target, s.Payload, stop).ConfigureAwait(false);
                sent++;
                if (!display.Json && !display.Quiet && !display.ShowSent)
                    sink.Error($"sent {s.Payload.Length} bytes to {EndpointText.HostPort(target)}{(s.Count == 1 ? "" : $" (#{sent})")}");
                if (s.WaitReply is { } wait && !await WaitForReplyAsync(replies.Reader, wait, stop).ConfigureAwait(false))
                {
                    missed++;
                    sink.Error($"no reply from {EndpointText.HostPort(target)} within {wait.TotalSeconds:0.###} s");
                }
                if (s.Count != 0 && sent >= s.Count)
                    break;
                if (timer is not null)
                    await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await endpoint.StopAsync().ConfigureAwait(false);
        if (missed > 0 && sent > 1)
            sink.Error($"{missed} of {sent} datagrams got no reply");
        return missed > 0 ? ExitCodes.TimedOut : ExitCodes.Ok;
    }

    private static async Task<bool> WaitForReplyAsync(ChannelReader<UdpPeer> replies, TimeSpan wait, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(wait);
        try
        {
            await replies.ReadAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Signals each datagram that arrives, so <c>--wait-reply</c> can stop waiting.</summary>
    private sealed class ReplyWatcher(ChannelWriter<UdpPeer> replies) : IUdpObserver
    {
        public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) => replies.TryWrite(peer);
    }
}
