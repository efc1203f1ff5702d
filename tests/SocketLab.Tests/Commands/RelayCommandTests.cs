using System.Net.Sockets;
using System.Text.Json;
using SocketLab.Core.Transcripts;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>socketlab relay between real loopback sockets and a real socketlab server, with its log, JSON and transcript.</summary>
public sealed class RelayCommandTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-relay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Both_directions_are_logged_and_the_recording_replays_against_the_device()
    {
        await using CliProcess device = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int devicePort = await device.WaitForPortAsync();
        string transcript = Path.Combine(_dir, "relay.jsonl");
        await using CliProcess relay = CliProcess.Start("relay", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{devicePort}", "--record", transcript);
        int relayPort = await relay.WaitForPortAsync();

        using (Socket client = await RawPeer.ConnectAsync(relayPort))
        {
            await client.SendAsync("ping 你好\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal("ping 你好\n"u8.ToArray(), await RawPeer.ReadExactlyAsync(client, 12));
            client.Shutdown(SocketShutdown.Send);
            Assert.Empty(await RawPeer.ReadToEndAsync(client));
        }
        await relay.WaitForLineAsync(@"#1 closed: 12 bytes → device, 12 bytes ← device$");
        relay.Signal();
        Assert.Equal(0, await relay.WaitForExitAsync(Wait));

        Assert.Contains(relay.StdoutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d\d:\d\d:\d\d\.\d{3} #1 \('127\.0\.0\.1', \d+\) connected, relaying to 127\.0\.0\.1:\d+$"));
        Assert.Contains(relay.StdoutLines, l => l.EndsWith("#1 → device ping 你好", StringComparison.Ordinal));
        Assert.Contains(relay.StdoutLines, l => l.EndsWith("#1 ← device ping 你好", StringComparison.Ordinal));
        Assert.Contains(relay.StdoutLines, l => l.EndsWith("#1 client half-closed (FIN → device)", StringComparison.Ordinal));
        Assert.Contains(relay.StdoutLines, l => l.EndsWith("#1 device half-closed (FIN → client)", StringComparison.Ordinal));

        IReadOnlyList<TranscriptEvent> events = TranscriptReader.ReadFile(transcript);
        Assert.All(events, e => Assert.Equal("relay", e.Role));
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, "replay", transcript, "--to", $"127.0.0.1:{devicePort}", "--speed", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("replies match: 12 bytes", stdout + stderr);
    }

    [Fact]
    public async Task A_quiet_relay_passes_bytes_kernel_to_kernel_and_still_counts_them()
    {
        const int size = 4 * 1024 * 1024;
        await using CliProcess device = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int devicePort = await device.WaitForPortAsync();
        await using CliProcess relay = CliProcess.Start("relay", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{devicePort}", "--quiet");
        int relayPort = await relay.WaitForPortAsync();

        byte[] payload = new byte[size];
        new Random(17).NextBytes(payload);
        using (Socket client = await RawPeer.ConnectAsync(relayPort))
        {
            Task<byte[]> echo = RawPeer.ReadToEndAsync(client);
            for (int sent = 0; sent < size;)
                sent += await client.SendAsync(payload.AsMemory(sent), SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
            byte[] got = await echo.WaitAsync(Wait);
            Assert.True(payload.AsSpan().SequenceEqual(got), "the echo through a quiet relay came back changed");
        }
        await relay.WaitForLineAsync($@"#1 closed: {size} bytes → device, {size} bytes ← device$");

        // The zero-copy path runs on the relay's own splice threads (names are cut to 15 characters).
        string[] threads = [.. Directory.GetDirectories($"/proc/{relay.Id}/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim())];
        Assert.Contains("socketlab-splic", threads);
        Assert.DoesNotContain(relay.StdoutLines, l => l.Contains("→ device ", StringComparison.Ordinal) && !l.Contains("bytes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_has_sent_events_for_the_device_and_received_events_from_it_and_a_reset_passes_through()
    {
        using Socket listener = RawPeer.Listen();
        await using CliProcess relay = CliProcess.Start("relay", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{RawPeer.PortOf(listener)}", "--json");
        await relay.WaitForLineAsync("\"event\":\"listening\"");
        int relayPort = JsonDocument.Parse(relay.StdoutLines.First(l => l.Contains("\"listening\""))).RootElement.GetProperty("local").GetString()!.Split(':')[1] is { } p ? int.Parse(p) : 0;

        using Socket client = await RawPeer.ConnectAsync(relayPort);
        using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        await client.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
        await RawPeer.ReadExactlyAsync(device, 3);
        await device.SendAsync(new byte[] { 0xff }, SocketFlags.None);
        await RawPeer.ReadExactlyAsync(client, 1);
        device.LingerState = new LingerOption(true, 0);
        device.Close();
        SocketException reset = await Assert.ThrowsAsync<SocketException>(() => RawPeer.ReadToEndAsync(client));
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);

        await relay.WaitForLineAsync("\"event\":\"closed\"");
        var lines = relay.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement sent = lines.Single(e => e.GetProperty("event").GetString() == "sent");
        JsonElement received = lines.Single(e => e.GetProperty("event").GetString() == "received");
        JsonElement closed = lines.Single(e => e.GetProperty("event").GetString() == "closed");
        Assert.Equal(new byte[] { 1, 2, 3 }, sent.GetProperty("data").GetBytesFromBase64());
        Assert.Equal(new byte[] { 0xff }, received.GetProperty("data").GetBytesFromBase64());
        Assert.Equal("reset", closed.GetProperty("reason").GetString());
        Assert.Equal(3, closed.GetProperty("bytes_out").GetInt64());
        Assert.Equal(1, closed.GetProperty("bytes_in").GetInt64());
    }

    [Fact]
    public async Task With_frame_each_direction_is_shown_as_whole_messages_however_tcp_cut_them()
    {
        using Socket listener = RawPeer.Listen();
        await using CliProcess relay = CliProcess.Start("relay", "--listen", "127.0.0.1:0", "--to", $"127.0.0.1:{RawPeer.PortOf(listener)}", "--frame", "line");
        int relayPort = await relay.WaitForPortAsync();
        using Socket client = await RawPeer.ConnectAsync(relayPort);
        using Socket device = await listener.AcceptAsync().WaitAsync(Wait);
        foreach (string piece in new[] { "temp=2", "1.5\nhum", "=40\n" })
        {
            await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(piece), SocketFlags.None);
            await Task.Delay(100); // Separate reads at the relay.
        }
        await RawPeer.ReadExactlyAsync(device, 17);
        await device.SendAsync("O"u8.ToArray(), SocketFlags.None);
        await Task.Delay(100);
        await device.SendAsync("K\n"u8.ToArray(), SocketFlags.None);
        await relay.WaitForLineAsync(@"#1 ← device OK$");
        await relay.WaitForLineAsync(@"#1 → device hum=40$");
        Assert.Contains(relay.StdoutLines, l => l.EndsWith("#1 → device temp=21.5", StringComparison.Ordinal));
        Assert.DoesNotContain(relay.StdoutLines, l => l.EndsWith("→ device temp=2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "relay", "--to", "127.0.0.1:5001" }, 2, "--listen")]
    [InlineData(new[] { "relay", "--listen", "5001" }, 2, "--to")]
    [InlineData(new[] { "relay", "--listen", "http", "--to", "127.0.0.1:5001" }, 2, "--listen takes PORT or ADDR:PORT")]
    [InlineData(new[] { "relay", "--listen", "5001", "--to", "device" }, 2, "--to: expected HOST:PORT")]
    [InlineData(new[] { "relay", "--listen", "5001", "--to", "127.0.0.1:5001", "--drop", "150%" }, 2, "--drop takes a share from 0 to 1")]
    public async Task Bad_input_is_one_line_and_exit_2(string[] args, int expected, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, args);
        Assert.Equal(expected, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_listen_port_in_use_is_exit_3()
    {
        using Socket taken = RawPeer.Listen();
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "relay", "--listen", $"127.0.0.1:{RawPeer.PortOf(taken)}", "--to", "127.0.0.1:9");
        Assert.Equal(3, code);
        Assert.StartsWith("socketlab: cannot listen on 127.0.0.1:", stderr.Trim());
    }
}
