using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>Rough edges a newcomer hit (issue 15), each with the one line and exit code it now gets.</summary>
public sealed class NewcomerTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-newcomer-").FullName;

    [Fact]
    public async Task Client_takes_host_and_port_as_one_argument()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", $"127.0.0.1:{RawPeer.PortOf(listener)}", "--no-echo");
        using Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit);
        Assert.Equal("hello mPython,I am TCP Client"u8.ToArray(), await RawPeer.ReadExactlyAsync(peer, 29));
        peer.Close();
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task A_missing_ca_file_is_named_with_its_whole_path()
    {
        string path = Path.Combine(_dir, "nope", "x.pem");
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "client", "localhost", "1", "--tls", "--ca", path);
        Assert.Equal(12, code);
        Assert.Contains($"cannot read --ca '{path}'", stderr);
    }

    [Fact]
    public async Task Bench_refuses_a_zero_duration_up_front()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "bench", "127.0.0.1", "1", "-d", "0s");
        Assert.Equal(2, code);
        Assert.Contains("--duration must be above zero", stderr);
    }

    [Fact]
    public async Task Replay_says_what_a_malformed_line_lacks()
    {
        string file = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(file, "{\"t\":1}\n");
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "replay", file, "--to", "127.0.0.1:1");
        Assert.Equal(12, code);
        Assert.Contains($"{file}:1: not a transcript event (a field it needs is missing", stderr);
        Assert.DoesNotContain("dictionary", stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
