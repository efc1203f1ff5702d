using System.Net.Sockets;
using System.Text;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>What the client sends by itself: a timed message (with fields), a file in chunks; and the seed's greeting in --hex mode.</summary>
public sealed class ClientSendTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_sends_the_message_count_times_with_fields_built_anew()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--greeting", "", "--no-echo",
            "--message", "n={{counter:7,2}}", "--macros", "--eol", "lf", "--every", "50ms", "--count", "3");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        Assert.Equal("n=7\nn=9\nn=11\n"u8.ToArray(), await RawPeer.ReadExactlyAsync(peer, 13));
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        byte[] more = new byte[1];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await peer.ReceiveAsync(more, SocketFlags.None, quiet.Token));
        client.Signal();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Send_file_streams_every_byte_in_chunks_and_says_so()
    {
        string path = Path.GetTempFileName();
        byte[] content = new byte[300_000];
        new Random(3).NextBytes(content);
        await File.WriteAllBytesAsync(path, content);
        try
        {
            using Socket listener = RawPeer.Listen();
            await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--greeting", "", "--no-echo",
                "--send-file", path, "--chunk", "1k", "--delay", "0", "--quiet");
            using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
            Assert.Equal(content, await RawPeer.ReadExactlyAsync(peer, content.Length));
            await client.WaitForLineAsync($"sent file {Path.GetFileName(path)}: 300000 bytes", stderr: true);
            peer.Close();
            Assert.Equal(0, await client.WaitForExitAsync(Exit));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(12, "--send-file", "/no/such/file")]
    [InlineData(2, "--every", "1s")]
    [InlineData(2, "--message", "x", "--count", "3")]
    [InlineData(2, "--send-file", "/etc/hostname", "--chunk", "0")]
    [InlineData(2, "--message", "{{nope}}", "--macros")]
    public async Task Bad_send_options_are_one_line(int exit, params string[] args)
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, ["client", "127.0.0.1", "1", .. args]);
        Assert.Equal(exit, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task In_hex_mode_the_seeds_greeting_is_still_sent_as_text()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "-i", "--hex");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        byte[] greeting = Encoding.UTF8.GetBytes("hello mPython,I am TCP Client");
        Assert.Equal(greeting, await RawPeer.ReadExactlyAsync(peer, greeting.Length));
        await client.StandardInput.WriteLineAsync("01 02");
        await client.StandardInput.FlushAsync();
        Assert.Equal(new byte[] { 1, 2 }, await RawPeer.ReadExactlyAsync(peer, 2));
        client.StandardInput.Close();
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }
}
