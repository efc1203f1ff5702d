using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>`socketlab send-list`: a command list against a real device end on loopback.</summary>
public sealed class SendListCommandTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-list-").FullName;

    private string Write(string json)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Modbus = """
        {
          "name": "modbus",
          "repeat": 2,
          "commands": [
            { "name": "read 10 registers", "data": "01 03 00 00 00 0A", "hex": true, "checksum": "crc16-modbus",
              "expect": "01 03 14", "expectHex": true, "timeoutMs": 2000 },
            { "name": "ping", "data": "ping #{{counter}}", "macros": true, "eol": "lf", "expect": "pong", "timeoutMs": 2000 }
          ]
        }
        """;

    [Fact]
    public async Task Every_expected_reply_comes_so_it_passes_with_exit_0()
    {
        using Socket listener = RawPeer.Listen();
        string list = Write(Modbus);
        Task<(int, string, string)> run = CliProcess.RunAsync(Exit, "send-list", list, "--to", $"127.0.0.1:{RawPeer.PortOf(listener)}");
        using Socket device = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        for (int round = 1; round <= 2; round++)
        {
            Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD }, await RawPeer.ReadExactlyAsync(device, 8));
            await device.SendAsync(new byte[] { 0x01, 0x03, 0x14, 0x00 }, SocketFlags.None);
            byte[] ping = await RawPeer.ReadExactlyAsync(device, 8);
            Assert.Equal($"ping #{round}\n", System.Text.Encoding.ASCII.GetString(ping));
            await device.SendAsync("pong\n"u8.ToArray(), SocketFlags.None);
        }
        (int code, string stdout, string stderr) = await run;
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("2.2/2 ping: sent 8 B, reply in", stdout);
        Assert.Contains("modbus: passed", stderr);
    }

    [Fact]
    public async Task A_reply_that_does_not_come_stops_the_list_with_exit_13_and_says_what_came()
    {
        using Socket listener = RawPeer.Listen();
        string list = Write(Modbus.Replace("\"timeoutMs\": 2000 },\n    { \"name\": \"ping\"", "\"timeoutMs\": 300 },\n    { \"name\": \"ping\"", StringComparison.Ordinal).Replace("2000", "300", StringComparison.Ordinal));
        Task<(int, string, string)> run = CliProcess.RunAsync(Exit, "send-list", list, "--to", $"127.0.0.1:{RawPeer.PortOf(listener)}");
        using Socket device = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        await RawPeer.ReadExactlyAsync(device, 8);
        await device.SendAsync(new byte[] { 0x01, 0x83, 0x02 }, SocketFlags.None); // an exception reply instead
        (int code, string stdout, _) = await run;
        Assert.Equal(13, code);
        Assert.Contains("1.1/2 read 10 registers: FAILED: no reply containing 01 03 14 within 300 ms (got 3 bytes: 01 83 02)", stdout);
    }

    [Theory]
    [InlineData("""{ "name": "x", "commands": [ { "data": "01", "hex": true, "checksum": "crc9" } ] }""", "commands[0]: checksum: unknown checksum 'crc9'")]
    [InlineData("""{ "name": "x", "commands": [ { "data": "0g", "hex": true } ] }""", "commands[0]: data: not a hex digit: 'g' at position 2")]
    [InlineData("""{ "name": "x", "commands": [] }""", "commands: a list has 1 to 200 commands")]
    [InlineData("""{ "name": "x", "comands": [] }""", "not a command list")]
    [InlineData("""not json""", "not a command list")]
    public async Task A_bad_list_is_one_line_naming_where_and_exit_12(string json, string message)
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "send-list", Write(json), "--to", "127.0.0.1:1");
        Assert.Equal(12, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
