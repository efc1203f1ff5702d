using System.CommandLine;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Cli.Output;
using SocketLab.Core.Serial;
using SocketLab.Core.Text;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab serial PORT</c>: a serial terminal like <c>client -i</c> — what the device sends is shown,
/// each typed line is sent (with CR, as a terminal's Enter, unless --eol says otherwise).
/// </summary>
public static class SerialCommand
{
    public static Command Create()
    {
        Argument<string?> port = new("port") { Description = "The serial port: /dev/ttyUSB0, /dev/ttyACM0, COM3 ('socketlab serial list' shows them)", Arity = ArgumentArity.ZeroOrOne };
        Option<TimeSpan?> linger = CommonOptions.PositiveDuration("--linger", "At the end of input, go on showing what arrives until the port is quiet this long, then exit [default: stay until Ctrl+C]");
        var settings = new SerialOptionSet();
        var display = new DisplayOptionSet();
        var board = new BoardOptionSet();
        var record = new RecordOptionSet();
        var framing = new FramingOptionSet();
        var command = new Command("serial", "Talk to a serial port: show what the device sends, send each typed line (the 掌控板's REPL: 115200 8N1)") { port, linger };
        command.Subcommands.Add(SerialListCommand.Create());
        settings.AddTo(command);
        display.AddTo(command, print: true);
        display.Eol.Description = "Line ending appended to each typed line: none|cr|lf|crlf [default: cr, what a terminal's Enter sends]";
        board.AddTo(command, needs: display.Oled);
        framing.AddTo(command);
        record.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(port) is null)
                r.AddError("name a serial port, e.g. socketlab serial /dev/ttyUSB0 ('socketlab serial list' shows them)");
        });
        command.SetAction(async (r, _) =>
        {
            OledDisplay? oled = null;
            if (r.GetValue(display.Oled) && (oled = board.CreateDisplay(r, "socketlab serial")) is null)
                return ExitCodes.Usage;
            // Enter on a terminal is CR, what a REPL or AT modem waits for.
            SendInput input = r.GetResult(display.Eol) is { Implicit: false } ? display.Input(r) : display.Input(r) with { Eol = LineEnding.Cr };
            if (!record.TryOpen(r, out TranscriptWriter? recorder))
                return ExitCodes.FileError;
            using (recorder)
                return RecordOptionSet.ExitCode(await RunAsync(settings.Resolve(r, r.GetValue(port)!), display.Display(r, prefix: false) with { ShowSent = false },
                    input, oled, recorder, r.GetValue(linger), sink => framing.Framer(r, sink)).ConfigureAwait(false), recorder);
        });
        return command;
    }

    private static async Task<int> RunAsync(SerialSettings settings, DisplayOptions display, SendInput input, OledDisplay? oled, TranscriptWriter? recorder, TimeSpan? linger,
        Func<ConsoleSink, DisplayFramer?> framer)
    {
        using var termination = new Termination();
        CancellationToken stop = termination.Token;
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, stop);
        SerialLink link;
        try
        {
            link = SerialLink.Open(settings);
        }
        catch (SerialPortException ex)
        {
            sink.Error(ex.Message);
            return ExitCodes.For(ex.Kind);
        }
        await using (link)
        {
            await using OledPanel? panel = oled is null ? null : OledPanel.ForClient(sink, oled);
            var console = new SerialSinkObserver(sink, panel, framer(sink));
            var observers = new List<ISerialObserver> { console };
            if (recorder is not null)
            {
                var transcript = new SerialTranscriptRecorder(recorder);
                transcript.OnOpened(link);
                observers.Add(transcript);
            }
            var observer = new SerialObserverFanout(observers);
            if (!display.Json && !Console.IsInputRedirected)
                sink.Error($"{settings.Port} open at {settings.Describe()}; lines you type are sent (Enter sends {Name(input.Eol)}), Ctrl+C quits");
            Task<SerialCloseReason> run = link.RunAsync(observer, stop);
            using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
            Task pump = PumpAsync(StdinLines.Start(), link, observer, console, sink, input, linger, pumpStop.Token);
            SerialCloseReason reason = await run.ConfigureAwait(false);
            await pumpStop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            return reason == SerialCloseReason.Lost ? ExitCodes.PortLost : ExitCodes.Ok;
        }
    }

    private static string Name(LineEnding eol) => eol switch
    {
        LineEnding.Cr => "CR",
        LineEnding.Lf => "LF",
        LineEnding.CrLf => "CR LF",
        _ => "no line ending",
    };

    /// <summary>Sends each typed line; at the end of input, with --linger, closes the port once it has been quiet that long.</summary>
    private static async Task PumpAsync(ChannelReader<string> lines, SerialLink link, ISerialObserver observer, SerialSinkObserver console, ConsoleSink sink, SendInput input, TimeSpan? linger, CancellationToken ct)
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
                await link.SendAsync(bytes, observer, ct).ConfigureAwait(false);
            }
            if (linger is not { } quiet)
                return;
            while (true)
            {
                TimeSpan left = quiet - TimeSpan.FromMilliseconds(Environment.TickCount64 - console.LastActivityAt);
                if (left <= TimeSpan.Zero)
                    break;
                await Task.Delay(left, ct).ConfigureAwait(false);
            }
            link.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            // Stopped, or the port went away (the read loop says so).
        }
    }
}
