using System.Net.Sockets;
using System.Text;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

public sealed class ReliabilityCliTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("socketlab-data-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private Dictionary<string, string> Env => new() { ["SOCKETLAB_DATA_DIR"] = _dataDir };

    [Fact]
    public async Task Tls_server_and_client_with_the_self_signed_certificate()
    {
        await using var server = CliProcess.Start(["server", "--port", "0", "--bind", "127.0.0.1", "--tls"], true, Env);
        int port = await server.WaitForPortAsync();
        await server.WaitForLineAsync(@"^socketlab: TLS certificate SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}$", stderr: true);
        string ca = Path.Combine(_dataDir, "tls", "self-signed.pem");
        Assert.True(File.Exists(ca));

        await using var client = CliProcess.Start(["client", "localhost", port.ToString(), "--tls", "--ca", ca, "--no-echo"], true, Env);
        await client.WaitForLineAsync("^hello mPython,I am TCP Client$"); // Echoed back over TLS.
        await server.WaitForLineAsync("#1 hello mPython,I am TCP Client$");
        server.Signal();
        Assert.Equal(0, await server.WaitForExitAsync(Exit));
        Assert.Equal(0, await client.WaitForExitAsync(Exit));
    }

    [Fact]
    public async Task Bench_runs_over_tls_and_refuses_an_untrusted_server()
    {
        await using var server = CliProcess.Start(["server", "--port", "0", "--bind", "127.0.0.1", "--tls", "--quiet"], true, Env);
        int port = await server.WaitForPortAsync();
        await server.WaitForLineAsync("fingerprint", stderr: true);
        string ca = Path.Combine(_dataDir, "tls", "self-signed.pem");

        await using var bench = CliProcess.Start(["bench", "localhost", port.ToString(), "--tls", "--ca", ca, "-c", "4", "--size", "100", "--duration", "1s", "--warmup", "0", "--json"], true, Env);
        Assert.Equal(0, await bench.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        using var result = System.Text.Json.JsonDocument.Parse(bench.Stdout);
        Assert.True(result.RootElement.GetProperty("messages").GetInt64() > 0);
        Assert.Equal(0, result.RootElement.GetProperty("errors").GetInt32());

        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "bench", "localhost", port.ToString(), "--tls", "-c", "1", "--duration", "1s");
        Assert.Equal(11, code);
        Assert.Contains("the certificate is not trusted", stderr);
    }

    [Fact]
    public async Task Tls_mismatches_get_clear_messages_on_both_sides()
    {
        await using var tlsServer = CliProcess.Start(["server", "--port", "0", "--bind", "127.0.0.1", "--tls"], true, Env);
        int tlsPort = await tlsServer.WaitForPortAsync();

        // A plain client on the TLS port is told what is wrong, and so is the server's user.
        var (code, stdout, stderr0) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", tlsPort.ToString());
        Assert.Equal(11, code);
        Assert.Contains("socketlab: this port speaks TLS; connect with TLS (socketlab client --tls)", stdout);
        Assert.Contains($"127.0.0.1:{tlsPort} speaks TLS: connect with --tls", stderr0);
        await tlsServer.WaitForLineAsync(@"\('127\.0\.0\.1', \d+\) client did not start TLS \(plain TCP on a TLS port\?\)$");

        // Verification is on by default.
        (code, _, string stderr) = await CliProcess.RunAsync(Exit, "client", "localhost", tlsPort.ToString(), "--tls");
        Assert.Equal(11, code);
        Assert.Contains("the certificate is not trusted (self-signed? use --ca FILE, --pin SHA256 or --insecure)", stderr);

        // A TLS client on a plain port.
        await using var plain = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1");
        int plainPort = await plain.WaitForPortAsync();
        (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", plainPort.ToString(), "--tls", "--insecure");
        Assert.Equal(11, code);
        Assert.Contains("did not answer with TLS", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Bad_certificate_files_are_one_line_errors()
    {
        string bogus = Path.Combine(_dataDir, "bogus.pem");
        await File.WriteAllTextAsync(bogus, "not a certificate");
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "server", "--port", "0", "--cert", bogus);
        Assert.Equal(12, code);
        Assert.StartsWith("socketlab: cannot load certificate 'bogus.pem'", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "127.0.0.1", "--tls", "--ca", bogus);
        Assert.Equal(12, code);
        Assert.StartsWith($"socketlab: --ca '{bogus}' holds no PEM certificate", stderr);
    }

    [Fact]
    public async Task Deny_closes_a_peer_at_once_and_logs_it()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--deny", "127.0.0.0/8", "--allow", "::1,10.0.0.0/8");
        int port = await server.WaitForPortAsync();
        try
        {
            using Socket s = await RawPeer.ConnectAsync(port);
            await Assert.ThrowsAsync<SocketException>(() => s.ReceiveAsync(new byte[4].AsMemory(), SocketFlags.None).AsTask().WaitAsync(RawPeer.Limit));
        }
        catch (SocketException) { }
        await server.WaitForLineAsync(@"#1 \('127\.0\.0\.1', \d+\) rejected: denied by --allow/--deny$");

        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "server", "--allow", "10.0.0.0/99");
        Assert.Equal(2, code);
        Assert.Contains("--allow takes addresses or CIDR ranges such as 192.168.0.0/24, got '10.0.0.0/99'", stderr);
    }

    [Fact]
    public async Task Idle_timeout_closes_a_silent_client_per_connection()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--idle-timeout", "1s");
        int port = await server.WaitForPortAsync();
        using Socket silent = await RawPeer.ConnectAsync(port);
        Assert.Empty(await RawPeer.ReadToEndAsync(silent));
        await server.WaitForLineAsync("#1 close socket \\(idle timeout\\)$");
        Assert.False(server.HasExited); // Per connection: the server goes on.
    }

    [Fact]
    public async Task Near_the_open_file_limit_the_server_refuses_instead_of_crashing_and_recovers()
    {
        // prlimit lowers this one process's open-file limit: the server itself needs ~100 fds for the runtime.
        await using var limited = StartLimited(150, "server", "--port", "0", "--bind", "127.0.0.1", "--quiet");
        int port = await limited.WaitForPortAsync();
        var held = new List<Socket>();
        for (int i = 0; i < 120; i++)
        {
            try { held.Add(await RawPeer.ConnectAsync(port)); }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset) { } // Refused ones may be reset that fast.
        }
        await limited.WaitForLineAsync(@"socketlab: out of file descriptors: \d+ connections fit under the open-file limit", stderr: true, timeout: TimeSpan.FromSeconds(30));
        await limited.WaitForLineAsync(@"rejected: out of file descriptors \(ulimit -n\)$");
        Assert.False(limited.HasExited);

        held.ForEach(s => s.Dispose());
        // Once the server has seen those closes, it serves again (until then, refusing is right).
        byte[] msg = Encoding.ASCII.GetBytes("after the storm");
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
        {
            try
            {
                using Socket later = await RawPeer.ConnectAsync(port);
                await later.SendAsync(msg, SocketFlags.None);
                Assert.Equal(msg, await RawPeer.ReadExactlyAsync(later, msg.Length));
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset && DateTime.UtcNow < deadline)
            {
            }
        }
        Assert.Single(limited.Stderr.Split('\n'), l => l.Contains("out of file descriptors")); // Logged once, not per refusal.
    }

    private static CliProcess StartLimited(int nofile, params string[] args) =>
        CliProcess.StartWith("prlimit", [$"--nofile={nofile}:{nofile}", .. CliProcess.Command(args)]);

    [Fact]
    public async Task A_second_ctrl_c_forces_the_stop()
    {
        await using var server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--quiet", "--shutdown-timeout", "30s");
        int port = await server.WaitForPortAsync();
        using Socket hog = await RawPeer.ConnectAsync(port);
        hog.ReceiveBufferSize = 4096;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { while (true) await hog.SendAsync(new byte[65536], SocketFlags.None, cts.Token); }
        catch (OperationCanceledException) { }
        server.Signal(2);
        await Task.Delay(500);
        Assert.False(server.HasExited); // Still draining the non-reader (up to 30 s).
        server.Signal(2);
        Assert.Equal(130, await server.WaitForExitAsync(Exit));
        Assert.Contains("socketlab: forced stop", server.Stderr);
    }
}
