using System.CommandLine;
using System.Globalization;
using System.Net;
using SocketLab.Cli.Output;
using SocketLab.Core.Net;
using SocketLab.Core.Relay;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab relay --listen PORT --to HOST:PORT</c>: a man in the middle for debugging — each client gets
/// its own connection to the device, bytes pass unchanged, and the log shows both directions.
/// </summary>
public static class RelayCommand
{
    /// <summary>Set to 1, a quiet relay copies through the process instead of splicing (docs/serial.md).</summary>
    public const string CopyVariable = "SOCKETLAB_RELAY_COPY";

    public static Command Create()
    {
        Option<IPEndPoint> listen = CommonOptions.Listen("Where clients connect: PORT (every interface), or ADDR:PORT such as 127.0.0.1:5001 or [::1]:5001");
        listen.Required = true;
        Option<HostPort?> to = CommonOptions.Target("--to", "The device (or server) each client is relayed to: HOST:PORT", "-t");
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting to the device after this long (the client is then reset) [default: 10s]", TimeSpan.FromSeconds(10));
        Option<TimeSpan> delay = CommonOptions.Duration("--delay", "Fault injection: hold every chunk this long before passing it on, both ways [default: 0]", TimeSpan.Zero);
        Option<double> drop = CommonOptions.Parsed(
            new Option<double>("--drop") { Description = "Fault injection: do not pass on this share of chunks, e.g. 0.05 or 5% (bytes are lost on purpose: the relay is then not byte-exact) [default: 0]" },
            text => TryParseRate(text, out double rate) ? (true, rate) : (false, 0), "a share from 0 to 1 such as 0.05, or a percentage such as 5%");
        Option<int?> seed = new("--seed") { Description = "With --drop: seed the choice of chunks, so a run can be repeated [default: random]" };
        var display = new DisplayOptionSet();
        var record = new RecordOptionSet();
        var framing = new FramingOptionSet();
        var command = new Command("relay", "Relay TCP clients to a device and show both directions (a man in the middle for debugging)")
        {
            listen, to, connectTimeout, delay, drop, seed,
        };
        display.AddViewTo(command);
        framing.AddTo(command);
        record.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            HostPort target = r.GetValue(to)!.Value;
            var options = new RelayOptions
            {
                Listen = r.GetValue(listen)!,
                DeviceHost = target.Host,
                DevicePort = target.Port,
                ConnectTimeout = r.GetValue(connectTimeout),
                Delay = r.GetValue(delay),
                DropRate = r.GetValue(drop),
                Seed = r.GetValue(seed),
                // A diagnostic for benchmarks and bug reports: the copying path even where splice would do.
                ZeroCopy = Environment.GetEnvironmentVariable(CopyVariable) != "1",
            };
            DisplayOptions shown = display.View(r, prefix: true);
            if (!record.TryOpen(r, out TranscriptWriter? recorder))
                return ExitCodes.FileError;
            using (recorder)
                return RecordOptionSet.ExitCode(await RunAsync(options, target, shown, recorder, sink => framing.Framer(r, sink)).ConfigureAwait(false), recorder);
        });
        return command;
    }

    private static async Task<int> RunAsync(RelayOptions options, HostPort target, DisplayOptions display, TranscriptWriter? recorder, Func<ConsoleSink, DisplayFramer?> framer)
    {
        using var termination = new Termination();
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, termination.Token);
        var observers = new List<IRelayObserver> { new RelaySinkObserver(sink, framer(sink)) };
        if (recorder is not null)
            observers.Add(new RelayTranscriptRecorder(recorder));
        await using var relay = new RelayServer(options, new RelayObserverFanout(observers));
        try
        {
            relay.Start();
        }
        catch (NetworkException ex)
        {
            throw NetworkErrorText.Failure(ex, ListenHint.Listen);
        }
        sink.Listening($"relay waiting... (each client is relayed to {target})", relay.LocalEndPoint);
        if (options.Delay > TimeSpan.Zero || options.DropRate > 0)
            sink.Error($"fault injection on: {(options.Delay > TimeSpan.Zero ? $"every chunk held {options.Delay.TotalMilliseconds:0.###} ms" : "")}{(options.Delay > TimeSpan.Zero && options.DropRate > 0 ? ", " : "")}{(options.DropRate > 0 ? $"{options.DropRate:0.###%} of chunks dropped" : "")}");
        await termination.WaitAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static bool TryParseRate(string text, out double rate)
    {
        bool percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate))
            return false;
        if (percent)
            rate /= 100;
        return rate is >= 0 and <= 1;
    }
}
