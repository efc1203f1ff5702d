using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tests.Tls;

/// <summary>
/// What --ca (a CA bundle, curl's --cacert) and --pin (curl's --pinnedpubkey) accept, against real TLS
/// servers on loopback with certificates made for the test.
/// </summary>
public sealed class TlsTrustTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static async Task<SslStream> HandshakeAsync(X509Certificate2 serverCert, TlsClientOptions options, string host = "localhost")
    {
        await using var server = new TcpServer(new TcpServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Tls = new TlsServerOptions(serverCert),
        }, new Nothing());
        server.Start();
        using Socket socket = await TcpConnector.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, Limit);
        SslStream ssl = await TlsClient.AuthenticateAsync(socket, host, options).WaitAsync(Limit);
        // One echo, so the server really serves over the verified session.
        await ssl.WriteAsync("ping"u8.ToArray());
        byte[] back = new byte[4];
        await ssl.ReadExactlyAsync(back).AsTask().WaitAsync(Limit);
        Assert.Equal("ping"u8.ToArray(), back);
        return ssl;
    }

    private static async Task<string> RefusedAsync(X509Certificate2 serverCert, TlsClientOptions options, string host = "localhost")
    {
        var ex = await Assert.ThrowsAsync<NetworkException>(() => HandshakeAsync(serverCert, options, host));
        Assert.Equal(NetworkErrorKind.TlsFailed, ex.Kind);
        return ex.Message;
    }

    private static CertificatePin PinOf(X509Certificate2 cert, bool publicKey)
    {
        string text = publicKey ? $"sha256//{CertificatePin.PublicKeyHash(cert)}" : Certificates.Fingerprint(cert);
        Assert.True(CertificatePin.TryParse(text, out CertificatePin? pin, out string error), error);
        return pin!;
    }

    [Fact]
    public async Task An_expired_certificate_given_as_ca_is_refused()
    {
        X509Certificate2 expired = TestCertificates.Expired();
        string why = await RefusedAsync(expired, new TlsClientOptions { TrustedCertificates = [expired] });
        Assert.Contains("has expired", why);
    }

    [Fact]
    public async Task A_not_yet_valid_certificate_given_as_ca_is_refused()
    {
        X509Certificate2 early = TestCertificates.NotYetValid();
        string why = await RefusedAsync(early, new TlsClientOptions { TrustedCertificates = [early] });
        Assert.Contains("not valid yet", why);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_pin_never_excuses_an_expired_or_not_yet_valid_certificate(bool publicKey)
    {
        X509Certificate2 expired = TestCertificates.Expired();
        Assert.Contains("has expired", await RefusedAsync(expired, new TlsClientOptions { Pins = [PinOf(expired, publicKey)] }));
        X509Certificate2 early = TestCertificates.NotYetValid();
        Assert.Contains("not valid yet", await RefusedAsync(early, new TlsClientOptions { Pins = [PinOf(early, publicKey)] }));
    }

    [Fact]
    public async Task A_leaf_signed_by_the_ca_in_the_bundle_verifies()
    {
        X509Certificate2 ca = TestCertificates.Ca();
        X509Certificate2 leaf = TestCertificates.Leaf(ca);
        await using SslStream ssl = await HandshakeAsync(leaf, new TlsClientOptions { TrustedCertificates = [ca] });
        Assert.True(ssl.IsAuthenticated);
    }

    [Fact]
    public async Task A_leaf_signed_by_another_ca_is_refused()
    {
        X509Certificate2 leaf = TestCertificates.Leaf(TestCertificates.Ca("CN=Other CA"));
        string why = await RefusedAsync(leaf, new TlsClientOptions { TrustedCertificates = [TestCertificates.Ca()] });
        Assert.Contains("not trusted by the CA bundle", why);
    }

    [Fact]
    public async Task A_ca_signed_leaf_for_another_name_is_refused_as_such()
    {
        X509Certificate2 ca = TestCertificates.Ca();
        X509Certificate2 leaf = TestCertificates.Leaf(ca, "board.example");
        string why = await RefusedAsync(leaf, new TlsClientOptions { TrustedCertificates = [ca] }, host: "localhost");
        Assert.Contains("not for 'localhost'", why);
    }

    [Fact]
    public async Task A_valid_self_signed_certificate_in_the_bundle_is_its_own_root()
    {
        X509Certificate2 self = TestCertificates.Leaf();
        await using SslStream ssl = await HandshakeAsync(self, new TlsClientOptions { TrustedCertificates = [self] });
        Assert.True(ssl.IsAuthenticated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_matching_pin_stands_in_for_the_chain_of_trust(bool publicKey)
    {
        X509Certificate2 self = TestCertificates.Leaf();
        await using SslStream ssl = await HandshakeAsync(self, new TlsClientOptions { Pins = [PinOf(self, publicKey)] });
        Assert.True(ssl.IsAuthenticated);
    }

    [Fact]
    public async Task A_pin_checks_the_name_and_must_match()
    {
        X509Certificate2 other = TestCertificates.Leaf(null, "board.example");
        Assert.Contains("not for 'localhost'", await RefusedAsync(other, new TlsClientOptions { Pins = [PinOf(other, false)] }));
        X509Certificate2 self = TestCertificates.Leaf();
        string why = await RefusedAsync(self, new TlsClientOptions { Pins = [PinOf(other, true)] });
        Assert.Contains("matches no pin", why);
        Assert.Contains(Certificates.Fingerprint(self), why);
    }

    [Fact]
    public async Task With_both_a_bundle_and_a_pin_both_must_hold()
    {
        X509Certificate2 ca = TestCertificates.Ca();
        X509Certificate2 leaf = TestCertificates.Leaf(ca);
        X509Certificate2 self = TestCertificates.Leaf();
        await using (SslStream ok = await HandshakeAsync(leaf, new TlsClientOptions { TrustedCertificates = [ca], Pins = [PinOf(leaf, true)] }))
            Assert.True(ok.IsAuthenticated);
        Assert.Contains("not trusted by the CA bundle", await RefusedAsync(self, new TlsClientOptions { TrustedCertificates = [ca], Pins = [PinOf(self, false)] }));
    }

    [Theory]
    [InlineData("AB:CD")]
    [InlineData("sha256//notbase64!")]
    [InlineData("sha256//AAAA")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Bad_pins_are_refused_with_a_reason(string text)
    {
        Assert.False(CertificatePin.TryParse(text, out _, out string error));
        Assert.Contains(text, error);
    }

    private sealed class Nothing : IConnectionObserver;
}
