using System.Text;
using System.Text.Json;
using SocketLab.Core.Tests.Infrastructure;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab serial against a device played by the test on the far end of a socat pty pair.</summary>
public sealed class SerialCommandTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-serial-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A REPL-like device: answers each CR-ended line with "echo:LINE\r\n>>> ".</summary>
    private static Task RunReplAsync(FileStream far, CancellationToken ct) => Task.Run(() =>
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        try
        {
            while (!ct.IsCancellationRequested && far.Read(one) == 1)
            {
                if (one[0] != (byte)'\r')
                {
                    line.Add(one[0]);
                    continue;
                }
                far.Write([.. "echo:"u8, .. line, .. "\r\n>>> "u8]);
                line.Clear();
            }
        }
        catch (IOException)
        {
            // The pty went away.
        }
    }, ct);

    [Fact]
    public async Task A_typed_line_reaches_the_device_with_CR_and_its_answer_is_shown_and_recorded()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using FileStream far = pty.OpenFar();
        using var stopDevice = new CancellationTokenSource();
        _ = RunReplAsync(far, stopDevice.Token);
        string transcript = Path.Combine(_dir, "serial.jsonl");

        await using CliProcess cli = CliProcess.Start("serial", pty.Near, "--baud", "115200", "--record", transcript, "--linger", "300ms");
        await cli.StandardInput.WriteLineAsync("print(1+1)");
        await cli.StandardInput.FlushAsync();
        await cli.WaitForLineAsync(@"^echo:print\(1\+1\)");
        await cli.StandardInput.WriteLineAsync("你好");
        cli.StandardInput.Close();
        Assert.Equal(0, await cli.WaitForExitAsync(Wait));
        Assert.Contains("echo:你好", cli.Stdout);

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(transcript);
        Assert.Equal(TranscriptEventKind.Open, events[0].Kind);
        Assert.Equal("115200 8N1", events[0].Detail);
        Assert.All(events, e => Assert.Equal("serial", e.Protocol));
        byte[] sent = [.. events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.Out).SelectMany(e => e.Data.ToArray())];
        byte[] received = [.. events.Where(e => e.Kind == TranscriptEventKind.Data && e.Direction == TranscriptDirection.In).SelectMany(e => e.Data.ToArray())];
        Assert.Equal(Encoding.UTF8.GetBytes("print(1+1)\r你好\r"), sent);
        Assert.Equal(Encoding.UTF8.GetBytes("echo:print(1+1)\r\n>>> echo:你好\r\n>>> "), received);
        Assert.Equal("local_closed", events[^1].Reason);
    }

    [Fact]
    public async Task Hex_input_and_json_output_carry_the_exact_bytes()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using FileStream far = pty.OpenFar();
        using var stopDevice = new CancellationTokenSource();
        _ = RunReplAsync(far, stopDevice.Token);

        await using CliProcess cli = CliProcess.Start("serial", pty.Near, "--hex", "--json", "--eol", "none", "--linger", "300ms");
        await cli.StandardInput.WriteLineAsync("00 ff 0d");
        cli.StandardInput.Close();
        Assert.Equal(0, await cli.WaitForExitAsync(Wait));

        var events = cli.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        byte[] sent = [.. events.Where(e => e.GetProperty("event").GetString() == "sent").SelectMany(e => e.GetProperty("data").GetBytesFromBase64())];
        byte[] received = [.. events.Where(e => e.GetProperty("event").GetString() == "received").SelectMany(e => e.GetProperty("data").GetBytesFromBase64())];
        Assert.Equal(new byte[] { 0x00, 0xff, 0x0d }, sent);
        Assert.Equal([.. "echo:"u8, 0x00, 0xff, .. "\r\n>>> "u8], received);
    }

    [Fact]
    public async Task With_frame_line_a_reply_that_comes_in_pieces_is_shown_as_one_line()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using CliProcess cli = CliProcess.Start("serial", pty.Near, "--frame", "line");
        await using FileStream far = pty.OpenFar();
        // The port is open once a typed line reaches the device; then the reply comes in two reads.
        await cli.StandardInput.WriteLineAsync("temp?");
        await cli.StandardInput.FlushAsync();
        byte[] asked = new byte[6];
        await Task.Run(() => far.ReadExactly(asked)).WaitAsync(Wait);
        far.Write("temp="u8);
        await Task.Delay(200);
        far.Write("21.5\n"u8);
        await cli.WaitForLineAsync("^temp=21\\.5$");
        Assert.DoesNotContain("temp=", cli.StdoutLines.Where(l => l != "temp=21.5"));
    }

    [Fact]
    public async Task Unplugging_the_port_ends_with_one_line_exit_19_and_the_transcript_kept()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        string transcript = Path.Combine(_dir, "unplug.jsonl");
        await using CliProcess cli = CliProcess.Start("serial", pty.Near, "--record", transcript);
        await using (FileStream far = pty.OpenFar())
            far.Write("boot ok\r\n"u8);
        await cli.WaitForLineAsync("^boot ok");

        pty.Unplug();

        Assert.Equal(19, await cli.WaitForExitAsync(Wait));
        Assert.Matches(@"^socketlab: serial port '.+' went away \(unplugged\?\) \(9 bytes in, 0 bytes out\)$", cli.Stderr.Trim());
        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(transcript);
        Assert.Equal("boot ok\r\n"u8.ToArray(), events.Single(e => e.Kind == TranscriptEventKind.Data).Data.ToArray());
        Assert.Equal("lost", events[^1].Reason);
    }

    [Fact]
    public async Task A_busy_port_is_exit_3_and_a_missing_one_exit_18()
    {
        await using PtyPair pty = await PtyPair.StartAsync();
        await using CliProcess first = CliProcess.Start("serial", pty.Near);
        await using (FileStream far = pty.OpenFar())
            far.Write("ready\r\n"u8);
        await first.WaitForLineAsync("^ready");

        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "serial", pty.Near);
        Assert.Equal(3, code);
        Assert.Matches(@"^socketlab: serial port '.+' is busy: another program has it open \(.*\(pid \d+\).*\)$", stderr.Trim());

        (code, _, stderr) = await CliProcess.RunAsync(Wait, "serial", "/dev/ttyUSB-socketlab-none");
        Assert.Equal(18, code);
        Assert.Equal("socketlab: no such serial port '/dev/ttyUSB-socketlab-none' (not plugged in? 'socketlab serial list' shows the ports there are)", stderr.Trim());
    }

    [Fact]
    public async Task A_port_this_user_may_not_open_says_dialout_and_exits_4()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
            return; // Needs root to make the port another user's and run the CLI as that user (CI runs as root).
        if (!NobodyCanRead(CliProcess.NativePath ?? CliProcess.DllPath))
            return; // A checkout under a private home folder: the other user cannot start the CLI at all.
        await using PtyPair pty = await PtyPair.StartAsync();
        File.SetUnixFileMode(pty.Near, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using CliProcess cli = CliProcess.StartWith("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", .. CliProcess.Command("serial", pty.Near)],
            env: new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });
        cli.StandardInput.Close();
        Assert.Equal(4, await cli.WaitForExitAsync(Wait));
        Assert.Contains("permission denied on", cli.Stderr);
        Assert.Contains("dialout", cli.Stderr);
    }

    private static bool NobodyCanRead(string path)
    {
        using var probe = System.Diagnostics.Process.Start("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-r", path]);
        probe.WaitForExit();
        return probe.ExitCode == 0;
    }

    [Theory]
    [InlineData(new[] { "serial" }, 2, "name a serial port")]
    [InlineData(new[] { "serial", "/dev/null0", "--baud", "fast" }, 2, "--baud takes a whole number from 50 to 4000000, got 'fast'")]
    [InlineData(new[] { "serial", "/dev/null0", "--stop", "3" }, 2, "--stop takes 1, 1.5 or 2")]
    [InlineData(new[] { "serial", "/dev/null0", "--parity", "maybe" }, 2, "--parity takes one of none, odd, even, mark, space")]
    [InlineData(new[] { "serial", "/etc/hostname" }, 12, "is not a serial port")]
    public async Task Bad_input_is_one_line_and_a_documented_code(string[] args, int expected, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, args);
        Assert.Equal(expected, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task List_prints_json_that_parses_and_agrees_with_the_text()
    {
        (int code, string json, _) = await CliProcess.RunAsync(Wait, "serial", "list", "--json");
        Assert.Equal(0, code);
        string[] names = [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
        (code, string text, _) = await CliProcess.RunAsync(Wait, "serial", "list");
        Assert.Equal(0, code);
        Assert.Equal(names, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray());
    }
}
