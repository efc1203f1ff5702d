using System.CommandLine;
using SocketLab.Cli.Output;
using SocketLab.Core.Bridge;
using SocketLab.Core.Net;
using SocketLab.Core.Serial;
using SocketLab.Core.Transcripts;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab bridge A B</c>: bytes pass unchanged between two endpoints (a serial port, a TCP connection,
/// the clients of a listening port, a UDP peer), with the log, counters and --record.
/// </summary>
public static class BridgeCommand
{
    public static Command Create()
    {
        Argument<IBridgeEnd> first = Endpoint("first");
        Argument<IBridgeEnd> second = Endpoint("second");
        var display = new DisplayOptionSet();
        var record = new RecordOptionSet();
        var command = new Command("bridge", "Pass bytes unchanged between two endpoints, e.g. serial:/dev/ttyUSB0@115200 tcp-listen:5001, and show them")
        {
            first, second,
        };
        display.AddViewTo(command);
        record.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            DisplayOptions shown = display.View(r, prefix: true);
            if (!record.TryOpen(r, out TranscriptWriter? recorder))
                return ExitCodes.FileError;
            using (recorder)
                return RecordOptionSet.ExitCode(await RunAsync(r.GetValue(first)!, r.GetValue(second)!, shown, recorder).ConfigureAwait(false), recorder);
        });
        return command;
    }

    private static Argument<IBridgeEnd> Endpoint(string name) => new(name)
    {
        Description = $"An endpoint: {BridgeEndpoint.Forms}",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (BridgeEndpoint.TryParse(text, out IBridgeEnd? end, out string? error))
                return end;
            r.AddError(error);
            return null;
        },
    };

    private static async Task<int> RunAsync(IBridgeEnd a, IBridgeEnd b, DisplayOptions display, TranscriptWriter? recorder)
    {
        using var termination = new Termination();
        await using var sink = new ConsoleSink(display);
        using CancellationTokenRegistration recording = RecordOptionSet.Watch(recorder, sink, termination.Token);
        await using (a)
        await using (b)
        {
            BridgeTranscriptRecorder? transcript = recorder is null ? null : new BridgeTranscriptRecorder(recorder, a.Name, b.Name);
            var console = new BridgeSinkObserver(sink, a, b);
            var bridge = new BridgeRunner(a, b, transcript is null ? console : new BridgeObservers(console, transcript));
            try
            {
                await bridge.OpenAsync(termination.Token).ConfigureAwait(false);
            }
            catch (SerialPortException ex)
            {
                sink.Error(ex.Message);
                return ExitCodes.For(ex.Kind);
            }
            catch (NetworkException ex)
            {
                sink.Error(NetworkErrorText.Of(ex, ex.Operation == NetworkOperation.Listen ? ListenHint.TcpListen : null));
                return ExitCodes.For(ex.Kind);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Ok;
            }
            transcript?.OnOpened();
            foreach (IBridgeEnd end in new[] { a, b })
            {
                if (end is TcpListenBridgeEnd listening)
                    sink.Listening($"{end.Name}: waiting for clients...", listening.LocalEndPoint);
            }
            sink.Error($"bridging {a.Name} ⇄ {b.Name}; Ctrl+C stops");
            (IBridgeEnd ended, BridgeEndResult result) = await bridge.RunAsync(termination.Token).ConfigureAwait(false);
            string why = result.Reason switch
            {
                BridgeEndReason.Lost => result.Detail ?? "the serial port went away",
                BridgeEndReason.Reset => $"{ended.Name}: connection reset by peer",
                BridgeEndReason.Closed => $"{ended.Name}: the other end closed the connection",
                _ => "stopped",
            };
            transcript?.OnClosed(result.Reason switch
            {
                BridgeEndReason.Lost => "lost",
                BridgeEndReason.Reset => "reset",
                BridgeEndReason.Closed => "remote_closed",
                _ => "local_closed",
            }, result.Detail);
            long undelivered = a.Undelivered + b.Undelivered;
            sink.Error($"{why}; {bridge.BytesAToB} bytes {a.Kind} → {b.Kind}, {bridge.BytesBToA} bytes {b.Kind} → {a.Kind}{(undelivered > 0 ? $", {undelivered} bytes had no one to take them (no client connected)" : "")}");
            return result.Reason switch
            {
                BridgeEndReason.Lost => ExitCodes.PortLost,
                BridgeEndReason.Reset => ExitCodes.ConnectionReset,
                _ => ExitCodes.Ok,
            };
        }
    }

    /// <summary>The console, then the transcript.</summary>
    private sealed class BridgeObservers(IBridgeObserver first, IBridgeObserver second) : IBridgeObserver
    {
        public void OnData(BridgeDirection direction, ReadOnlySpan<byte> data)
        {
            first.OnData(direction, data);
            second.OnData(direction, data);
        }

        public void OnNotice(string text)
        {
            first.OnNotice(text);
            second.OnNotice(text);
        }
    }
}
