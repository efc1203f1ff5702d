using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>`socketlab checksum`, and --append/--escapes on what a user types into client, server and udp send.</summary>
public sealed class ChecksumCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("c5 cd", "crc16-modbus", "01", "03", "00", "00", "00", "0A")]
    [InlineData("01 03 00 00 00 0a c5 cd", "crc16-modbus", "--frame", "010300", "00000A")]
    [InlineData("cd c5", "crc16-modbus", "--order", "be", "01 03 00 00 00 0A")]
    [InlineData("26 39 f4 cb", "crc32", "--text", "123456789")]
    [InlineData("31 c3", "xmodem", "--text", "123456789")]
    [InlineData("fb", "lrc", "01 03 00 00 00 01")]
    [InlineData("0d", "xor", "--text", "--escapes", @"\x0d\x00")]
    public async Task Prints_the_checksum_as_it_goes_on_the_wire(string expected, params string[] args)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Exit, ["checksum", .. args]);
        Assert.True(code == 0, stderr);
        Assert.Equal(expected, stdout.Trim());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Json_gives_value_order_bytes_and_frame()
    {
        (int code, string stdout, _) = await CliProcess.RunAsync(Exit, "checksum", "crc16-modbus", "01 03 00 00 00 0A", "--json");
        Assert.Equal(0, code);
        JsonElement j = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("0xCDC5", j.GetProperty("value").GetString());
        Assert.Equal("le", j.GetProperty("order").GetString());
        Assert.Equal("c5 cd", j.GetProperty("bytes").GetString());
        Assert.Equal("01 03 00 00 00 0a c5 cd", j.GetProperty("frame").GetString());
    }

    [Theory]
    [InlineData("unknown checksum 'crc99'", "checksum", "crc99", "01")]
    [InlineData("bad hex: not a hex digit: 'z' at position 1 (use --text for text)", "checksum", "xor", "zz")]
    [InlineData("--order: 'middle' is not le or be", "checksum", "crc32", "--order", "middle", "01")]
    [InlineData("--append: unknown checksum 'crc7'", "client", "127.0.0.1", "--append", "crc7")]
    [InlineData("--append-order: 'x' is not le or be", "udp", "send", "127.0.0.1", "6000", "hi", "--append", "crc32", "--append-order", "x")]
    [InlineData(@"TEXT: bad escape, nothing sent: unknown escape '\q' at position 3", "udp", "send", "127.0.0.1", "6000", @"hi\q")]
    public async Task Bad_input_is_one_line_and_exit_2(string message, params string[] args)
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, args);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Client_appends_the_crc_before_the_line_ending_and_reads_escapes()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "-i", "--hex", "--greeting", "", "--append", "crc16-modbus");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        await client.StandardInput.WriteLineAsync("01 03 00 00 00 0A");
        await client.StandardInput.FlushAsync();
        Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD }, await RawPeer.ReadExactlyAsync(peer, 8));
        client.StandardInput.Close();
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));

        using Socket listener2 = RawPeer.Listen();
        await using var texter = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener2).ToString(), "-i", "--greeting", "", "--escapes", "--append", "xor", "--eol", "crlf");
        using Socket peer2 = await listener2.AcceptAsync().WaitAsync(RawPeer.Limit);
        await texter.StandardInput.WriteLineAsync(@"A\x01");
        await texter.StandardInput.FlushAsync();
        // "A" 0x01, then XOR of those two (0x40), then CRLF.
        Assert.Equal(new byte[] { 0x41, 0x01, 0x40, 0x0D, 0x0A }, await RawPeer.ReadExactlyAsync(peer2, 5));
        texter.StandardInput.Close();
        peer2.Close();
        Assert.Equal(0, await texter.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Udp_send_appends_the_checksum()
    {
        using var board = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)board.Client.LocalEndPoint!).Port;
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "udp", "send", "127.0.0.1", port.ToString(), "01 03 00 00 00 0A", "--hex", "--append", "modbus", "--append-order", "be");
        Assert.True(code == 0, stderr);
        UdpReceiveResult got = await board.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xCD, 0xC5 }, got.Buffer);
    }
}
