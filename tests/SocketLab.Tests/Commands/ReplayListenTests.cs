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
        Match m = await replay.WaitForLineAsync(@"waiting for a client on 127\.0\.0\.1:(\d+)$", stderr: true);
        return (replay, int.Parse(m.Groups[1].Value));
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
        string transcript = Path.Combine(_dir, "one.jsonl");
        await File.WriteAllTextAsync(transcript,
            """
            {"time":"2026-11-25T18:49:07.80+00:00","proto":"tcp","role":"server","conn":1,"event":"open","local":"127.0.0.1:5001","remote":"127.0.0.1:45556"}
            {"time":"2026-11-25T18:49:07.82+00:00","proto":"tcp","role":"server","conn":1,"event":"data","dir":"in","local":"127.0.0.1:5001","remote":"127.0.0.1:45556","bytes":3,"data":"b25l"}
            {"time":"2026-11-25T18:49:07.82+00:00","proto":"tcp","role":"server","conn":1,"event":"data","dir":"out","echo":true,"local":"127.0.0.1:5001","remote":"127.0.0.1:45556","bytes":3,"data":"b25l"}

            """);
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
