using System.Net;
using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>--save: what peers send goes to disk byte-exact, past the console; a full disk stops only the saving.</summary>
public sealed class SaveOptionTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-save-").FullName;

    [Fact]
    public async Task Server_saves_each_client_to_its_own_file_byte_exact()
    {
        string folder = Path.Combine(_dir, "clients");
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--no-echo", "--quiet", "--save", folder);
        int port = await server.WaitForPortAsync();
        byte[] big = new byte[2_000_000];
        new Random(9).NextBytes(big);
        using (Socket a = await RawPeer.ConnectAsync(port))
        using (Socket b = await RawPeer.ConnectAsync(port))
        {
            await a.SendAsync(big, SocketFlags.None);
            await b.SendAsync("two"u8.ToArray(), SocketFlags.None);
        }
        await WaitUntilAsync(() => Directory.GetFiles(folder).Sum(f => new FileInfo(f).Length) == big.Length + 3);
        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        string[] files = Directory.GetFiles(folder).OrderBy(f => new FileInfo(f).Length).ToArray();
        Assert.Equal(2, files.Length);
        Assert.Equal("two"u8.ToArray(), await File.ReadAllBytesAsync(files[0]));
        Assert.Equal(big, await File.ReadAllBytesAsync(files[1]));
        Assert.Matches(@"^\d+-127\.0\.0\.1_\d+\.bin$", Path.GetFileName(files[1]));
    }

    [Fact]
    public async Task Client_and_udp_listen_append_to_one_file()
    {
        string file = Path.Combine(_dir, "received.bin");
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--greeting", "", "--no-echo", "--quiet", "--save", file);
        using (Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit))
        {
            await peer.SendAsync(new byte[] { 0, 1, 2, 0xff }, SocketFlags.None);
            await WaitUntilAsync(() => File.Exists(file) && new FileInfo(file).Length == 4);
        }
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
        Assert.Equal(new byte[] { 0, 1, 2, 0xff }, await File.ReadAllBytesAsync(file));

        string udpFile = Path.Combine(_dir, "udp.bin");
        await using var udp = CliProcess.Start("udp", "listen", "--port", "0", "--quiet", "--save", udpFile);
        int port = await udp.WaitForPortAsync();
        using var sender = new UdpClient();
        await sender.SendAsync(new byte[] { 7, 8 }, new IPEndPoint(IPAddress.Loopback, port));
        await sender.SendAsync(new byte[] { 9 }, new IPEndPoint(IPAddress.Loopback, port));
        await WaitUntilAsync(() => File.Exists(udpFile) && new FileInfo(udpFile).Length == 3);
        Assert.Equal(new byte[] { 7, 8, 9 }, await File.ReadAllBytesAsync(udpFile));
        udp.Signal();
        Assert.Equal(0, await udp.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task A_full_disk_stops_the_saving_with_one_line_and_exit_12_and_the_echo_goes_on()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--greeting", "", "--quiet", "--save", "/dev/full");
        using (Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit))
        {
            for (int i = 0; i < 3; i++)
            {
                byte[] chunk = [(byte)i, 1, 2, 3];
                await peer.SendAsync(chunk, SocketFlags.None);
                Assert.Equal(chunk, await RawPeer.ReadExactlyAsync(peer, 4)); // echoed byte-exact all the same
            }
        }
        Assert.Equal(12, await client.WaitForExitAsync(Exit));
        Assert.Single(client.Stderr.Split('\n'), l => l.Contains("saving stopped: cannot write '/dev/full'", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(15); !condition(); await Task.Delay(20))
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 15 s");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
