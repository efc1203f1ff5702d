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

    [Fact]
    public async Task A_plain_client_on_a_socketlab_tls_port_is_told_to_use_tls()
    {
        var env = new Dictionary<string, string> { ["SOCKETLAB_DATA_DIR"] = _dir };
        await using var server = CliProcess.Start(["server", "--port", "0", "--bind", "127.0.0.1", "--tls"], true, env);
        int port = await server.WaitForPortAsync();
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", port.ToString(), "--no-echo");
        Assert.Equal(11, code);
        Assert.Equal($"socketlab: 127.0.0.1:{port} speaks TLS: connect with --tls (a self-signed certificate also needs --ca FILE or --insecure)", stderr.Trim());
    }

    [Fact]
    public async Task A_plain_client_on_a_tls_port_that_closes_without_a_word_is_told_to_use_tls()
    {
        // OpenSSL's server drops a plain greeting silently: the client tries a handshake to tell why.
        string key = Path.Combine(_dir, "key.pem"), cert = Path.Combine(_dir, "cert.pem");
        await RunToEndAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost");
        int port = RawPeer.FreePort();
        using var server = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key, "-quiet"]) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true })!;
        try
        {
            for (var until = DateTime.UtcNow + RawPeer.Limit; ; await Task.Delay(100))
            {
                try { (await RawPeer.ConnectAsync(port)).Dispose(); break; }
                catch (SocketException) when (DateTime.UtcNow < until) { }
            }
            (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", port.ToString(), "--no-echo");
            Assert.Equal(11, code);
            Assert.Contains($"127.0.0.1:{port} speaks TLS: connect with --tls", stderr);
        }
        finally
        {
            server.Kill();
        }
    }

    [Fact]
    public async Task A_plain_server_that_closes_without_a_word_is_still_exit_0()
    {
        using Socket listener = RawPeer.Listen();
        await using var client = CliProcess.Start("client", "127.0.0.1", RawPeer.PortOf(listener).ToString(), "--no-echo");
        using (Socket peer = await listener.AcceptAsync().WaitAsync(RawPeer.Limit))
        {
            await RawPeer.ReadExactlyAsync(peer, 29);
            peer.Shutdown(SocketShutdown.Both);
        }
        // The handshake probe finds a plain server (it accepts, then says nothing and is closed).
        _ = Task.Run(async () => { using Socket again = await listener.AcceptAsync(); await Task.Delay(300); });
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
        Assert.DoesNotContain("TLS", client.Stderr);
    }

    private static async Task RunToEndAsync(string program, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await p.WaitForExitAsync().WaitAsync(Exit);
        Assert.Equal(0, p.ExitCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
