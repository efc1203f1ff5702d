using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

public class ServerCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("--engine auto")]
    [InlineData("--engine epoll")]
    [InlineData("--engine async")]
    [InlineData("--engine uring")]
    [InlineData("--busy-poll 200us")]
    [InlineData("--busy-poll 0")]
    [InlineData("--engine uring --busy-poll 0")]
    public async Task Prints_the_seed_lines_and_echoes_byte_exact(string engine)
    {
        await using var server = CliProcess.Start(["server", "--port", "0", "--bind", "127.0.0.1", .. engine.Split(' ')]);
        int port = await server.WaitForPortAsync();
        Assert.Equal("tcp waiting...", server.StdoutLines[0]);
        await server.WaitForLineAsync("^accepting\\.\\.\\.\\.\\.$");

        using Socket client = await RawPeer.ConnectAsync(port);
        await server.WaitForLineAsync(@"^\d\d:\d\d:\d\d\.\d{3} #1 \('127\.0\.0\.1', \d+\) connected$");
        byte[] greeting = "hello mPython,I am TCP Client"u8.ToArray();
        await client.SendAsync(greeting, SocketFlags.None);
        Assert.Equal(greeting, await RawPeer.ReadExactlyAsync(client, greeting.Length));
        await server.WaitForLineAsync("#1 hello mPython,I am TCP Client$");

        client.Shutdown(SocketShutdown.Both);
        client.Close();
        await server.WaitForLineAsync("#1 close socket$");

        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.Contains("socketlab: 1 connections, 29 bytes in, 29 bytes out", server.Stderr);
    }

    [Fact]
    public async Task Half_closed_client_gets_all_its_random_bytes_back_then_eof()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();
        byte[] payload = RandomNumberGenerator.GetBytes(2_000_000);
        using Socket client = await RawPeer.ConnectAsync(port);
        Task<byte[]> reader = RawPeer.ReadToEndAsync(client);
        for (int sent = 0; sent < payload.Length;)
            sent += await client.SendAsync(payload.AsMemory(sent, Math.Min(7919, payload.Length - sent)), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        byte[] echoed = await reader;
        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task A_terminal_that_never_reads_does_not_stall_the_echo()
    {
        // stdout is a pipe nobody reads: it fills after 64 KiB and the display blocks, the sockets must not.
        var psi = new System.Diagnostics.ProcessStartInfo(CliProcess.Program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in CliProcess.Command("server", "--port", "0", "--bind", "127.0.0.1", "--hex")[1..])
            psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            // Read just the first lines to learn the port, then stop reading stdout for good.
            int port = 0;
            while (port == 0)
            {
                string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(Exit);
                Assert.NotNull(line);
                if (line.StartsWith("127.0.0.1:", StringComparison.Ordinal))
                    port = int.Parse(line["127.0.0.1:".Length..]);
            }
            using Socket client = await RawPeer.ConnectAsync(port);
            byte[] payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            Task<byte[]> echoed = RawPeer.ReadExactlyAsync(client, payload.Length);
            await client.SendAsync(payload, SocketFlags.None).WaitAsync(Exit);
            byte[] back = await echoed.WaitAsync(Exit);
            Assert.True(payload.AsSpan().SequenceEqual(back));
        }
        finally
        {
            process.Kill();
        }
    }

    [Fact]
    public async Task Serves_many_clients_at_once()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await server.WaitForPortAsync();
        var sockets = new List<Socket>();
        for (int i = 0; i < 50; i++)
            sockets.Add(await RawPeer.ConnectAsync(port)); // All open at the same time.
        await Task.WhenAll(sockets.Select(async (s, i) =>
        {
            byte[] msg = Encoding.UTF8.GetBytes($"client {i} 你好");
            await s.SendAsync(msg, SocketFlags.None);
            Assert.Equal(msg, await RawPeer.ReadExactlyAsync(s, msg.Length));
        }));
        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Stdin_lines_go_to_every_client_or_to_one()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--eol", "lf");
        int port = await server.WaitForPortAsync();
        using Socket a = await RawPeer.ConnectAsync(port);
        await server.WaitForLineAsync("#1 .* connected$");
        using Socket b = await RawPeer.ConnectAsync(port);
        await server.WaitForLineAsync("#2 .* connected$");

        await server.StandardInput.WriteLineAsync("大家好");
        await server.StandardInput.FlushAsync();
        byte[] expected = Encoding.UTF8.GetBytes("大家好\n");
        Assert.Equal(expected, await RawPeer.ReadExactlyAsync(a, expected.Length));
        Assert.Equal(expected, await RawPeer.ReadExactlyAsync(b, expected.Length));

        await server.StandardInput.WriteLineAsync("/to 2 only two");
        await server.StandardInput.WriteLineAsync("/clients");
        await server.StandardInput.FlushAsync();
        Assert.Equal("only two\n", Encoding.UTF8.GetString(await RawPeer.ReadExactlyAsync(b, 9)));
        await server.WaitForLineAsync(@"^#2 127\.0\.0\.1:\d+ in 0 out 19 since");
        a.Blocking = false;
        Assert.Throws<SocketException>(() => a.Receive(new byte[16])); // Nothing arrived on #1.

        await server.StandardInput.WriteLineAsync("/kick 1");
        await server.StandardInput.FlushAsync();
        a.Blocking = true;
        Assert.Empty(await RawPeer.ReadToEndAsync(a));
        await server.WaitForLineAsync("#1 close socket \\(closed by server\\)$");
    }

    [Fact]
    public async Task Json_mode_prints_one_event_per_line_with_the_exact_bytes()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--json");
        await server.WaitForLineAsync("\"event\":\"listening\"");
        using JsonDocument first = JsonDocument.Parse(server.StdoutLines[0]);
        string local = first.RootElement.GetProperty("local").GetString()!;
        int port = int.Parse(local[(local.LastIndexOf(':') + 1)..]);

        using Socket client = await RawPeer.ConnectAsync(port);
        byte[] payload = [0xE4, 0xBD, 0xA0, 0xFF, 0x00, 0x0A];
        await client.SendAsync(payload, SocketFlags.None);
        await RawPeer.ReadExactlyAsync(client, payload.Length);
        client.Close();
        await server.WaitForLineAsync("\"event\":\"closed\"");

        var events = server.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["listening", "connected", "received", "closed"], events.Select(e => e.GetProperty("event").GetString()));
        JsonElement received = events[2];
        Assert.Equal(payload, received.GetProperty("data").GetBytesFromBase64());
        Assert.Equal(6, received.GetProperty("bytes").GetInt32());
        Assert.Equal("你\\xFF\0\n", received.GetProperty("text").GetString());
        Assert.Equal("remote_closed", events[3].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Gbk_text_split_inside_a_character_is_shown_whole()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--encoding", "gbk", "--no-echo");
        int port = await server.WaitForPortAsync();
        using Socket client = await RawPeer.ConnectAsync(port);
        byte[] gbk = CodePages.Gbk.GetBytes("你好，掌控板");
        await client.SendAsync(gbk.AsMemory(0, 3), SocketFlags.None); // Ends after the lead byte of 好.
        await server.WaitForLineAsync("#1 你$");
        await Task.Delay(100);
        await client.SendAsync(gbk.AsMemory(3), SocketFlags.None);
        await server.WaitForLineAsync("#1 好，掌控板$");
        Assert.DoesNotContain(server.StdoutLines, l => l.Contains("\\x") || l.Contains('\uFFFD'));
    }

    [Fact]
    public async Task Ctrl_c_stops_accepting_closes_clients_and_exits_zero()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int port = await server.WaitForPortAsync();
        using Socket client = await RawPeer.ConnectAsync(port);
        await server.WaitForLineAsync("connected$");
        server.Signal(2); // SIGINT, as Ctrl+C sends.
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.Empty(await RawPeer.ReadToEndAsync(client)); // Closed cleanly with FIN.
        Assert.Contains("socketlab: 1 connections", server.Stderr);
    }

    [Fact]
    public async Task Stats_are_printed_periodically_for_long_runs()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--json", "--stats", "200ms");
        await server.WaitForLineAsync("\"event\":\"listening\"");
        using JsonDocument first = JsonDocument.Parse(server.StdoutLines[0]);
        string local = first.RootElement.GetProperty("local").GetString()!;
        using Socket client = await RawPeer.ConnectAsync(int.Parse(local[(local.LastIndexOf(':') + 1)..]));
        await client.SendAsync("abc"u8.ToArray(), SocketFlags.None);
        await RawPeer.ReadExactlyAsync(client, 3);
        await server.WaitForLineAsync("\"event\":\"stats\",\"clients\":1,\"accepted\":1,\"rejected\":0,\"bytes_in\":3,\"bytes_out\":3,");
        using JsonDocument stats = JsonDocument.Parse(server.StdoutLines.First(l => l.Contains("\"bytes_in\":3")));
        Assert.True(stats.RootElement.GetProperty("rss_bytes").GetInt64() > 1_000_000);
        Assert.True(stats.RootElement.GetProperty("fds").GetInt32() > 3);
        // Periodically: another line follows the one that saw the client, without anything new happening.
        int seen = server.StdoutLines.Count(l => l.Contains("\"event\":\"stats\""));
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(20); server.StdoutLines.Count(l => l.Contains("\"event\":\"stats\"")) <= seen; await Task.Delay(50))
            Assert.True(DateTime.UtcNow < deadline, $"no stats line after the {seen} first:\n{server.Stdout}");
    }

    [Fact]
    public async Task A_stop_delivered_twice_at_once_is_still_graceful()
    {
        // GNU timeout signals the process and its group: the same SIGTERM arrives twice.
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        await server.WaitForPortAsync();
        server.Signal();
        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.DoesNotContain("forced stop", server.Stderr);
        Assert.Contains("socketlab: 0 connections", server.Stderr);
    }
}
