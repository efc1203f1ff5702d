using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tests.Tls;

public sealed class TlsTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-tls-").FullName;
    private readonly X509Certificate2 _cert;

    public TlsTests()
    {
        _cert = Certificates.LoadOrCreateSelfSigned(_dir, out bool created);
        Assert.True(created);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TcpServer StartServer(TimeSpan? handshakeTimeout = null)
    {
        var server = new TcpServer(new TcpServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Tls = new TlsServerOptions(_cert) { HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10) },
        }, new Reasons());
        server.Start();
        return server;
    }

    private TlsClientOptions Trusting(string? name = null) => new() { TrustedCertificates = [_cert], ServerName = name };

    [Fact]
    public async Task The_epoll_engine_refuses_tls_and_auto_picks_async_for_it()
    {
        var tls = new TlsServerOptions(_cert);
        var epoll = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, Tls = tls, Engine = SocketEngine.Epoll }, new Reasons());
        Assert.Contains("plain TCP only", Assert.Throws<NotSupportedException>(epoll.Start).Message);
        await using TcpServer auto = StartServer();
        Assert.Equal(SocketEngine.Async, auto.Engine);
    }

    [Fact]
    public async Task Echo_over_tls_with_a_trusted_self_signed_certificate()
    {
        await using TcpServer server = StartServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        await using var ssl = await TlsClient.AuthenticateAsync(socket, "localhost", Trusting());
        byte[] payload = new byte[300_000];
        Random.Shared.NextBytes(payload);
        await ssl.WriteAsync(payload);
        byte[] back = new byte[payload.Length];
        await ssl.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
        Assert.Equal(payload, back);
    }

    [Fact]
    public void The_cached_certificate_is_reused()
    {
        X509Certificate2 again = Certificates.LoadOrCreateSelfSigned(_dir, out bool created);
        Assert.False(created);
        Assert.Equal(Certificates.Fingerprint(_cert), Certificates.Fingerprint(again));
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", Certificates.Fingerprint(_cert));
    }

    [Fact]
    public async Task Verification_is_on_by_default()
    {
        await using TcpServer server = StartServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        var ex = await Assert.ThrowsAsync<NetworkException>(() => TlsClient.AuthenticateAsync(socket, "localhost", new TlsClientOptions()));
        Assert.Equal(NetworkErrorKind.TlsFailed, ex.Kind);
        Assert.Contains("not trusted", ex.Message);
    }

    [Fact]
    public async Task Insecure_skips_verification()
    {
        await using TcpServer server = StartServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        await using var ssl = await TlsClient.AuthenticateAsync(socket, "anything.example", new TlsClientOptions { Insecure = true });
        Assert.True(ssl.IsAuthenticated);
    }

    [Fact]
    public async Task A_wrong_host_name_is_reported_as_such()
    {
        await using TcpServer server = StartServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        var ex = await Assert.ThrowsAsync<NetworkException>(() => TlsClient.AuthenticateAsync(socket, "127.0.0.1", Trusting("wrong.example")));
        Assert.Contains("not for 'wrong.example'", ex.Message);
    }

    [Fact]
    public async Task A_plain_client_on_the_tls_port_is_told_so()
    {
        await using TcpServer server = StartServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        await socket.SendAsync("hello mPython,I am TCP Client"u8.ToArray(), SocketFlags.None);
        using var ms = new MemoryStream();
        byte[] buffer = new byte[512];
        int n;
        while ((n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit)) > 0)
            ms.Write(buffer, 0, n);
        Assert.Equal("this port speaks TLS; connect with TLS\n", System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public async Task A_tls_client_on_a_plain_port_is_told_so()
    {
        await using var server = new SocketLab.Core.Tests.Tcp.LoopbackServer();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.EndPoint.Port, Limit);
        var ex = await Assert.ThrowsAsync<NetworkException>(() => TlsClient.AuthenticateAsync(socket, "localhost", new TlsClientOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) }));
        Assert.Equal(NetworkErrorKind.TlsFailed, ex.Kind);
        Assert.Contains("did not answer with TLS", ex.Message);
    }

    [Fact]
    public async Task A_client_that_never_starts_the_handshake_is_closed_after_the_timeout()
    {
        await using TcpServer server = StartServer(TimeSpan.FromMilliseconds(300));
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        int n = await socket.ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limit);
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Stopping_drains_tls_connections_like_plain_ones_instead_of_waiting_out_the_timeout()
    {
        TcpServer server = StartServer();
        var clients = new List<(Socket Socket, System.Net.Security.SslStream Ssl)>();
        for (int i = 0; i < 5; i++)
        {
            Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
            var ssl = await TlsClient.AuthenticateAsync(socket, "localhost", Trusting());
            await ssl.WriteAsync("hi"u8.ToArray());
            await ssl.ReadExactlyAsync(new byte[2]).AsTask().WaitAsync(Limit);
            clients.Add((socket, ssl));
        }
        // Clients that close when the server's close_notify arrives (what TLS clients do): no wait at all.
        Task[] closers = clients.Select(c => Task.Run(async () =>
        {
            byte[] b = new byte[16];
            try { while (await c.Ssl.ReadAsync(b) > 0) { } }
            catch (IOException) { }
            c.Socket.Close();
        })).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync(TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"stop took {clock.Elapsed}");
        await Task.WhenAll(closers).WaitAsync(Limit);
        await server.DisposeAsync();
    }

    private sealed class Reasons : IConnectionObserver;
}
