using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab replay --listen: the recorded server's (device's) side played for a real client, from relay and server transcripts.</summary>
public sealed class ReplayListenTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-replay-listen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A relayed session between a raw client and `socketlab server`: the client sends random bytes in two
    /// pieces (echoed), then the server is typed random bytes of its own, so the device sent more than it got.
    /// </summary>
    private async Task<(string File, byte[][] ClientPieces, byte[] DeviceSent)> RecordRelayAsync()
    {
        string transcript = Path.Combine(_dir, "relay.jsonl");
        var random = new Random(16);
        byte[][] pieces = [new byte[3000], new byte[40_000]];
        foreach (byte[] piece in pieces)
            random.NextBytes(piece);
        byte[] typed = new byte[64];
        random.NextBytes(typed);

        await using CliProcess device = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--in", "hex");
        int devicePort = await device.WaitForPortAsync();
        await using CliProcess relay = CliProcess.Start("relay", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{devicePort}", "--record", transcript);
        int relayPort = await relay.WaitForPortAsync();
        using (Socket client = await RawPeer.ConnectAsync(relayPort))
        {
            foreach (byte[] piece in pieces)
            {
                await client.SendAsync(piece, SocketFlags.None);
                Assert.Equal(piece, await RawPeer.ReadExactlyAsync(client, piece.Length));
            }
            await device.StandardInput.WriteLineAsync(string.Join(' ', typed.Select(b => b.ToString("x2"))));
            await device.StandardInput.FlushAsync();
            Assert.Equal(typed, await RawPeer.ReadExactlyAsync(client, typed.Length));
            client.Shutdown(SocketShutdown.Send);
            Assert.Empty(await RawPeer.ReadToEndAsync(client));
        }
        await relay.WaitForLineAsync(@"#1 closed");
        relay.Signal();
        Assert.Equal(0, await relay.WaitForExitAsync(Wait));
        return (transcript, pieces, [.. pieces.SelectMany(p => p), .. typed]);
    }

    /// <summary>Starts `replay FILE --listen 127.0.0.1:0 ARGS` and returns it with the port it waits on.</summary>
    private static async Task<(CliProcess Replay, int Port)> ListenAsync(string file, params string[] args)
    {
        CliProcess replay = CliProcess.Start(["replay", file, "--listen", "127.0.0.1:0", .. args]);
        Match m = await replay.WaitForLineAsync(@"waiting for (a client|\d+ clients|clients) on 127\.0\.0\.1:(\d+)(,|$)", stderr: true);
        return (replay, int.Parse(m.Groups[2].Value));
    }

    [Fact]
    public async Task A_client_sending_the_recorded_bytes_gets_what_the_device_sent_byte_exact_and_exit_0()
    {
        (string file, byte[][] pieces, byte[] deviceSent) = await RecordRelayAsync();
        (CliProcess replay, int port) = await ListenAsync(file, "--speed", "0");
        await using (replay)
        {
            using Socket client = await RawPeer.ConnectAsync(port);
            foreach (byte[] piece in pieces)
                await client.SendAsync(piece, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send); // Done sending, as in the recording: the device's bytes still all come.
            Assert.Equal(deviceSent, await RawPeer.ReadToEndAsync(client));
            Assert.True(await replay.WaitForExitAsync(Wait) == 0, replay.Stderr);
            Assert.Contains($"the client's bytes match: {pieces.Sum(p => p.Length)} bytes, as recorded", replay.Stdout);
            Assert.Contains("playing the server's side of connection 1 (relay): ", replay.Stderr);
        }
    }

    [Fact]
    public async Task A_client_sending_other_bytes_is_exit_13_naming_the_first_difference()
    {
        (string file, byte[][] pieces, _) = await RecordRelayAsync();
        byte[] sent = [.. pieces.SelectMany(p => p)];
        const int at = 3000 + 1234; // In the second recorded chunk.
        byte expected = sent[at];
        sent[at] ^= 0x5a;
        (CliProcess replay, int port) = await ListenAsync(file, "--speed", "0");
        await using (replay)
        {
            using Socket client = await RawPeer.ConnectAsync(port);
            await client.SendAsync(sent, SocketFlags.None);
            await RawPeer.ReadToEndAsync(client);
            Assert.Equal(13, await replay.WaitForExitAsync(Wait));
            Assert.Matches($@"^the client's bytes differ at byte {at} of {sent.Length} \(in recorded client chunk #\d+ of \d+, at \d\d:\d\d:\d\d\.\d{{3}}\)$", replay.StdoutLines[0]);
            Assert.Matches($@"^  expected: "".*""…? \({expected:x2}( [0-9a-f]{{2}}){{31}}\)$", replay.StdoutLines[1]);
            Assert.Matches($@"^  received: "".*""…? \({sent[at]:x2}( [0-9a-f]{{2}}){{31}}\)$", replay.StdoutLines[2]);
        }
    }

    /// <summary>Sends <paramref name="bytes"/> and half-closes, as the recorded client did; returns all the device's bytes.</summary>
    private static async Task<byte[]> PlayClientAsync(Socket client, byte[] bytes)
    {
        await client.SendAsync(bytes, SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        return await RawPeer.ReadToEndAsync(client);
    }

    private static string AddressOf(Socket client) => $@"127\.0\.0\.1:{RawPeer.PortOf(client)}";

    [Fact]
    public async Task Keep_open_serves_concurrent_clients_each_the_whole_play_byte_exact_and_SIGTERM_ends_it_with_0()
    {
        (string file, byte[][] pieces, byte[] deviceSent) = await RecordRelayAsync();
        byte[] sent = [.. pieces.SelectMany(p => p)];
        // --timeout 60s: the first client waits for the other two, and its replay must wait for its bytes that long.
        (CliProcess replay, int port) = await ListenAsync(file, "--keep-open", "--speed", "0", "--timeout", "60s");
        await using (replay)
        {
            using Socket first = await RawPeer.ConnectAsync(port);
            using Socket second = await RawPeer.ConnectAsync(port);
            using Socket third = await RawPeer.ConnectAsync(port);
            await first.SendAsync(pieces[0], SocketFlags.None);
            // The first client is still in the middle of its replay while the other two get theirs whole.
            byte[][] others = await Task.WhenAll(PlayClientAsync(second, sent), PlayClientAsync(third, sent));
            Assert.All(others, got => Assert.Equal(deviceSent, got));
            foreach (Socket done in new[] { second, third })
                await replay.WaitForLineAsync($@"^#\d {AddressOf(done)}: the client's bytes match: {sent.Length} bytes, as recorded$");
            Assert.DoesNotContain(replay.StdoutLines, l => l.Contains($"127.0.0.1:{RawPeer.PortOf(first)}:"));

            Assert.Equal(deviceSent, await PlayClientAsync(first, pieces[1]));
            await replay.WaitForLineAsync($@"^#1 {AddressOf(first)}: the client's bytes match: {sent.Length} bytes, as recorded$");
            Assert.Equal(3, replay.StdoutLines.Count);

            // Still serving: a fourth client after the others gets its own replay from the start.
            using (Socket fourth = await RawPeer.ConnectAsync(port))
                Assert.Equal(deviceSent, await PlayClientAsync(fourth, sent));
            await replay.WaitForLineAsync(@"^#4 127\.0\.0\.1:\d+: the client's bytes match: ");

            replay.Signal();
            Assert.True(await replay.WaitForExitAsync(Wait) == 0, replay.Stderr);
            Assert.Equal("socketlab: stopped; 4 clients: 4 matched, 0 differed", replay.Stderr.Split('\n')[^1]);
        }
    }

    [Fact]
    public async Task Keep_open_reports_one_clients_difference_on_its_line_while_the_others_pass_and_Ctrl_C_ends_it_with_13()
    {
        (string file, byte[][] pieces, byte[] deviceSent) = await RecordRelayAsync();
        byte[] sent = [.. pieces.SelectMany(p => p)];
        byte[] wrong = [.. sent];
        const int at = 3000 + 77;
        wrong[at] ^= 0x20;
        (CliProcess replay, int port) = await ListenAsync(file, "-k", "--speed", "0");
        await using (replay)
        {
            using Socket a = await RawPeer.ConnectAsync(port);
            using Socket b = await RawPeer.ConnectAsync(port);
            using Socket c = await RawPeer.ConnectAsync(port);
            byte[][] got = await Task.WhenAll(PlayClientAsync(a, sent), PlayClientAsync(b, wrong), PlayClientAsync(c, sent));
            Assert.All(got, g => Assert.Equal(deviceSent, g)); // The device's side is played whole to each, whatever it sends.

            Match differs = await replay.WaitForLineAsync(
                $@"^#\d {AddressOf(b)}: the client's bytes differ at byte {at} of {sent.Length} \(in recorded client chunk #\d+ of \d+, at \d\d:\d\d:\d\d\.\d{{3}}\); expected: "".*""…? \(({sent[at]:x2}( [0-9a-f]{{2}}){{31}})\); received: "".*""…? \(({wrong[at]:x2}( [0-9a-f]{{2}}){{31}})\)$");
            Assert.Equal(string.Join(' ', sent.Skip(at).Take(32).Select(x => x.ToString("x2"))), differs.Groups[1].Value);
            Assert.Equal(string.Join(' ', wrong.Skip(at).Take(32).Select(x => x.ToString("x2"))), differs.Groups[3].Value);
            foreach (Socket fine in new[] { a, c })
                await replay.WaitForLineAsync($@"^#\d {AddressOf(fine)}: the client's bytes match: {sent.Length} bytes, as recorded$");
            Assert.Equal(3, replay.StdoutLines.Count);

            replay.Signal(2); // SIGINT, as Ctrl+C sends.
            Assert.Equal(13, await replay.WaitForExitAsync(Wait));
            Assert.Equal("socketlab: stopped; 3 clients: 2 matched, 1 differed", replay.Stderr.Split('\n')[^1]);
        }
    }

    [Fact]
    public async Task Clients_N_exits_by_itself_after_N_clients_with_13_when_one_differed_and_refuses_more()
    {
        (string file, byte[][] pieces, byte[] deviceSent) = await RecordRelayAsync();
        byte[] sent = [.. pieces.SelectMany(p => p)];
        (CliProcess replay, int port) = await ListenAsync(file, "--clients", "2", "--speed", "0");
        await using (replay)
        {
            Assert.Contains("waiting for 2 clients on 127.0.0.1:", replay.Stderr);
            using Socket good = await RawPeer.ConnectAsync(port);
            using Socket bad = await RawPeer.ConnectAsync(port);
            byte[][] got = await Task.WhenAll(PlayClientAsync(good, sent), PlayClientAsync(bad, sent[..^1]));
            Assert.All(got, g => Assert.Equal(deviceSent, g));
            Assert.Equal(13, await replay.WaitForExitAsync(Wait));
            Assert.Matches($@"^#\d {AddressOf(good)}: the client's bytes match: {sent.Length} bytes, as recorded$", replay.StdoutLines.Single(l => l.Contains(" match: ")));
            Assert.Matches($@"^#\d {AddressOf(bad)}: the client's bytes stop short: got {sent.Length - 1} of {sent.Length} recorded bytes .*; connection: the client closed it$", replay.StdoutLines.Single(l => !l.Contains(" match: ")));
            Assert.Equal("socketlab: 2 clients: 1 matched, 1 differed", replay.Stderr.Split('\n')[^1]);
            await Assert.ThrowsAsync<SocketException>(() => RawPeer.ConnectAsync(port));
        }

        // All matched: 0. Between clients the wait is --connect-timeout again; a missing client is exit 6.
        (replay, port) = await ListenAsync(file, "--clients", "2", "--speed", "0", "--connect-timeout", "2s");
        await using (replay)
        {
            using (Socket one = await RawPeer.ConnectAsync(port))
                Assert.Equal(deviceSent, await PlayClientAsync(one, sent));
            Assert.Equal(6, await replay.WaitForExitAsync(Wait));
            string[] errors = replay.Stderr.Split('\n');
            Assert.Matches(@"^socketlab replay: no client connected to 127\.0\.0\.1:\d+ within 2 s \(--connect-timeout\)$", errors[^2]);
            Assert.Equal("socketlab: 1 client: 1 matched, 0 differed", errors[^1]);
        }
    }

    [Fact]
    public async Task Stopping_keep_open_mid_replay_interrupts_that_client_and_exits_0()
    {
        // The device answers "one" at once, then says "bye" a minute later: the stop comes in between.
        string transcript = SmallTranscripts.WriteEcho(Path.Combine(_dir, "slow.jsonl"),
            """{"time":"2026-11-25T18:50:07.82+00:00","proto":"tcp","role":"server","conn":1,"event":"data","dir":"out","local":"127.0.0.1:5001","remote":"127.0.0.1:45556","bytes":3,"data":"Ynll"}""" + "\n");
        (CliProcess replay, int port) = await ListenAsync(transcript, "--keep-open");
        await using (replay)
        {
            using Socket client = await RawPeer.ConnectAsync(port);
            await client.SendAsync("one"u8.ToArray(), SocketFlags.None);
            Assert.Equal("one"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 3));
            await replay.WaitForLineAsync(@"^socketlab: #1 127\.0\.0\.1:\d+ connected$", stderr: true);
            replay.Signal();
            Assert.Empty(await RawPeer.ReadToEndAsync(client)); // Closed at the stop, "bye" never sent.
            Assert.True(await replay.WaitForExitAsync(Wait) == 0, replay.Stderr);
            Assert.Matches(@"^socketlab: #1 127\.0\.0\.1:\d+: replay interrupted$", replay.Stderr.Split('\n')[^2]);
            Assert.Equal("socketlab: stopped; 1 client: 0 matched, 0 differed, 1 interrupted", replay.Stderr.Split('\n')[^1]);
            Assert.Equal("", replay.Stdout);
        }
    }

    [Theory]
    [InlineData("--to 127.0.0.1:9 --keep-open", "--keep-open and --clients serve clients: they go with --listen [ADDR:]PORT, not --to")]
    [InlineData("--listen 127.0.0.1:0 -k --clients 2", "--keep-open serves clients until Ctrl+C and --clients N stops after N: give one of them")]
    [InlineData("--listen 127.0.0.1:0 -k --connect-timeout 5s", "--keep-open waits for clients until Ctrl+C; --connect-timeout goes with one client or --clients N")]
    [InlineData("--listen 127.0.0.1:0 --clients 0", "--clients must be a whole number of at least 1, got '0'")]
    public async Task Keep_open_and_clients_misused_are_exit_2(string args, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, ["replay", "x.jsonl", .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal($"socketlab replay: {message} (see 'socketlab replay --help')", stderr.Trim());
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_server_transcript_plays_the_chosen_connection_of_the_server_and_keeps_its_pace()
    {
        string transcript = Path.Combine(_dir, "server.jsonl");
        await using (CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--record", transcript))
        {
            int serverPort = await server.WaitForPortAsync();
            foreach (string text in new[] { "one\n", "two\n" })
            {
                using Socket c = await RawPeer.ConnectAsync(serverPort);
                byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
                await c.SendAsync(bytes, SocketFlags.None);
                Assert.Equal(bytes, await RawPeer.ReadExactlyAsync(c, bytes.Length));
                if (text == "two\n")
                {
                    await Task.Delay(1500); // A pause the replay must keep: the greeting below comes 1.5 s after the echo.
                    await server.StandardInput.WriteLineAsync("bye");
                    await server.StandardInput.FlushAsync();
                    Assert.Equal("bye"u8.ToArray(), await RawPeer.ReadExactlyAsync(c, 3));
                }
            }
            server.Signal();
            Assert.Equal(0, await server.WaitForExitAsync(Wait));
        }

        (CliProcess replay, int port) = await ListenAsync(transcript, "--connection", "2");
        await using (replay)
        {
            using Socket client = await RawPeer.ConnectAsync(port);
            await client.SendAsync("two\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("two\n"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 4));
            var sinceEcho = Stopwatch.StartNew();
            Assert.Equal("bye"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 3));
            Assert.True(sinceEcho.Elapsed >= TimeSpan.FromSeconds(1.2), $"'bye' came {sinceEcho.Elapsed.TotalMilliseconds:0} ms after the echo; recorded: 1.5 s");
            Assert.Empty(await RawPeer.ReadToEndAsync(client));
            Assert.True(await replay.WaitForExitAsync(Wait) == 0, replay.Stderr);
            Assert.Contains("the client's bytes match: 4 bytes, as recorded", replay.Stdout);
            Assert.Contains("connection 2 (server)", replay.Stderr);
        }
    }

    [Fact]
    public async Task No_client_within_the_connect_timeout_is_exit_6_and_a_port_in_use_exit_3()
    {
        string transcript = SmallTranscripts.WriteEcho(Path.Combine(_dir, "one.jsonl"));
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "replay", transcript, "--listen", "127.0.0.1:0", "--connect-timeout", "1s");
        Assert.Equal(6, code);
        Assert.Matches(@"^socketlab replay: no client connected to 127\.0\.0\.1:\d+ within 1 s \(--connect-timeout\)$", stderr.Split('\n')[^1]);
        Assert.Equal("", stdout);

        using Socket taken = RawPeer.Listen();
        (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", transcript, "--listen", $"127.0.0.1:{RawPeer.PortOf(taken)}");
        Assert.Equal(3, code);
        Assert.StartsWith($"socketlab: cannot listen on 127.0.0.1:{RawPeer.PortOf(taken)}: address already in use", stderr.Trim());
    }

    [Theory]
    [InlineData("{\"time\":\"2026-11-25T18:49:07.80+00:00\",\"proto\":\"tcp\"", 12, "cannot read")]
    [InlineData(null, 2, "one of --to HOST:PORT (play the client's side against a server) or --listen [ADDR:]PORT (play the server's side for a client) is needed, not both")]
    public async Task A_malformed_file_is_exit_12_and_both_or_neither_end_exit_2(string? content, int expected, string message)
    {
        string transcript = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(transcript, content ?? "");
        string[] args = content is null
            ? ["replay", transcript, "--listen", "5001", "--to", "127.0.0.1:5001"]
            : ["replay", transcript, "--listen", "127.0.0.1:0"];
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, args);
        Assert.Equal(expected, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
        if (content is null)
        {
            (code, _, stderr) = await CliProcess.RunAsync(Wait, "replay", transcript);
            Assert.Equal(2, code);
            Assert.Contains(message, stderr);
        }
    }
}
