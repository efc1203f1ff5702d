using SocketLab.Core.Tests.Tls;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>client --tls with --ca (a CA bundle) and --pin, against real servers with certificates made for the test.</summary>
public sealed class TlsTrustCliTests : IDisposable
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-tlscli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(CliProcess Server, int Port)> ServeAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 cert)
    {
        string pem = TestCertificates.WritePem(cert, Path.Combine(_dir, $"server-{Guid.NewGuid():N}.pem"), withKey: true);
        CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--cert", pem);
        return (server, await server.WaitForPortAsync());
    }

    [Fact]
    public async Task An_expired_certificate_passed_to_ca_is_refused_with_exit_11()
    {
        var expired = TestCertificates.Expired();
        (CliProcess server, int port) = await ServeAsync(expired);
        await using (server)
        {
            string ca = TestCertificates.WritePem(expired, Path.Combine(_dir, "expired.pem"));
            var (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "localhost", port.ToString(), "--tls", "--ca", ca);
            Assert.Equal(11, code);
            Assert.Matches(@"^socketlab: TLS handshake with localhost failed: the certificate has expired \(valid until .* UTC\)$", stderr);
            (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "localhost", port.ToString(), "--tls", "--pin", SocketLab.Core.Tls.Certificates.Fingerprint(expired));
            Assert.Equal(11, code);
            Assert.Contains("has expired", stderr);
        }
    }

    [Fact]
    public async Task A_real_ca_bundle_verifies_the_leaf_it_signed()
    {
        var ca = TestCertificates.Ca();
        (CliProcess server, int port) = await ServeAsync(TestCertificates.Leaf(ca));
        await using (server)
        {
            string bundle = TestCertificates.WritePem(ca, Path.Combine(_dir, "ca.pem"));
            await using var client = CliProcess.Start("client", "localhost", port.ToString(), "--tls", "--ca", bundle, "--no-echo");
            await client.WaitForLineAsync("^hello mPython,I am TCP Client$"); // Echoed back over the verified session.
            client.Signal();
            Assert.Equal(0, await client.WaitForExitAsync(Exit));
        }
    }

    [Fact]
    public async Task A_pin_connects_to_a_self_signed_server_without_ca()
    {
        var self = TestCertificates.Leaf();
        (CliProcess server, int port) = await ServeAsync(self);
        await using (server)
        {
            string pin = $"sha256//{SocketLab.Core.Tls.CertificatePin.PublicKeyHash(self)}";
            await using var client = CliProcess.Start("client", "localhost", port.ToString(), "--tls", "--pin", pin, "--no-echo");
            await client.WaitForLineAsync("^hello mPython,I am TCP Client$");
            client.Signal();
            Assert.Equal(0, await client.WaitForExitAsync(Exit));
        }
    }

    [Fact]
    public async Task A_malformed_pin_is_a_usage_error()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(Exit, "client", "localhost", "--tls", "--pin", "12:34");
        Assert.Equal(2, code);
        Assert.Contains("--pin: '12:34' is neither a SHA-256 fingerprint", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
