using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Cli.Output;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Presets;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab send-list LIST.json --to HOST:PORT</c>: runs a command list (the page's 命令列表, exported as
/// JSON) against a device: each command sent, its expected reply waited for; exit 0 when every one came, 13 otherwise.
/// </summary>
public static class SendListCommand
{
    public static Command Create()
    {
        Argument<string> file = new("list") { Description = "A command list as JSON (the page's Export, or written by hand: docs/device-debugging.md)" };
        Option<string> to = new("--to") { Description = "HOST:PORT of the device", Required = true };
        Option<int?> repeat = new("--repeat") { Description = "Rounds, instead of the list's own 'repeat'" };
        Option<TimeSpan> connectTimeout = CommonOptions.Duration("--connect-timeout", "Give up connecting after this long [default: 10s]", TimeSpan.FromSeconds(10));
        Option<string> encoding = CommonOptions.Encoding();
        Option<bool> json = new("--json") { Description = "One JSON object per step on stdout" };

        var command = new Command("send-list", "Run a command list against a device: send each command, wait for its expected reply (exit 13 when one does not come)")
        {
            file, to, repeat, connectTimeout, encoding, json,
        };
        command.SetAction(async (r, _) =>
        {
            string path = r.GetValue(file)!;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"socketlab send-list: cannot read '{path}': {ex.Message}");
                return ExitCodes.FileError;
            }
            if (!CommandList.TryParse(text, out CommandList? list, out string? error))
            {
                Console.Error.WriteLine($"socketlab send-list: {path}: {error}");
                return ExitCodes.FileError;
            }
            if (r.GetValue(repeat) is < 1 or > 100_000)
            {
                Console.Error.WriteLine("socketlab send-list: --repeat must be from 1 to 100000");
                return ExitCodes.Usage;
            }
            string target = r.GetValue(to)!;
            int colon = target.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(target[(colon + 1)..], out int port) || port is < 1 or > 65535)
            {
                Console.Error.WriteLine($"socketlab send-list: --to takes HOST:PORT, got '{target}'");
                return ExitCodes.Usage;
            }
            Encoding enc = TextEncodings.Get(r.GetValue(encoding)!);
            using var termination = new Termination();
            Socket socket;
            try
            {
                socket = await TcpConnector.ConnectAsync(target[..colon].Trim('[', ']'), port, r.GetValue(connectTimeout), termination.Token).ConfigureAwait(false);
            }
            catch (NetworkException ex)
            {
                Console.Error.WriteLine($"socketlab send-list: {NetworkErrorText.Of(ex)}");
                return ExitCodes.For(ex.Kind);
            }
            using (socket)
            {
                var replies = new ReplyWatch();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(termination.Token);
                Task receiving = ReceiveAsync(socket, replies, stop.Token);
                var runner = new CommandListRunner(async (bytes, ct) =>
                {
                    for (ReadOnlyMemory<byte> rest = bytes; !rest.IsEmpty;)
                        rest = rest[await socket.SendAsync(rest, SocketFlags.None, ct).ConfigureAwait(false)..];
                }, replies, enc, new MacroContext());
                bool asJson = r.GetValue(json);
                bool ok;
                try
                {
                    ok = await runner.RunAsync(list, r.GetValue(repeat), step => Report(step, list, asJson), termination.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Interrupted;
                }
                await stop.CancelAsync().ConfigureAwait(false);
                await receiving.ConfigureAwait(false);
                if (!asJson)
                    Console.Error.WriteLine(ok ? $"socketlab send-list: {list.Name}: passed" : $"socketlab send-list: {list.Name}: failed");
                return ok ? ExitCodes.Ok : ExitCodes.ExpectationFailed;
            }
        });
        return command;
    }

    private static async Task ReceiveAsync(Socket socket, ReplyWatch replies, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false)) > 0)
                replies.Feed(buffer.AsSpan(0, n));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the device went away: the next step's send or wait says so.
        }
    }

    private static void Report(StepResult s, CommandList list, bool json)
    {
        string name = s.Step.Name.Length > 0 ? s.Step.Name : $"command {s.Index + 1}";
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new StepJson(s.Round, s.Index + 1, name, s.Ok, s.Sent,
                Math.Round(s.Elapsed.TotalMilliseconds, 1), s.Reply is null ? null : HexDump.Pairs(s.Reply), s.Failure), CliJson.Default.StepJson));
            return;
        }
        string where = $"{s.Round}.{s.Index + 1}/{list.Commands.Count}";
        Console.Out.WriteLine(s.Ok
            ? $"{where} {name}: sent {s.Sent} B{(s.Reply is null ? "" : $", reply in {s.Elapsed.TotalMilliseconds:0} ms")}"
            : $"{where} {name}: FAILED: {s.Failure}");
    }
}
