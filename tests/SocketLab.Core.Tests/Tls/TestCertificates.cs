using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketLab.Core.Tests.Tls;

/// <summary>Certificates made in-process for one test: a CA, leaves it signs, expired and not-yet-valid ones.</summary>
public static class TestCertificates
{
    /// <summary>A CA certificate (CA:true, keyCertSign) valid from an hour ago for a year.</summary>
    public static X509Certificate2 Ca(string name = "CN=SocketLab Test CA")
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.Now.AddHours(-1), DateTimeOffset.Now.AddYears(1));
        return Reload(cert);
    }

    /// <summary>A server certificate for <paramref name="dnsName"/> (and 127.0.0.1), signed by <paramref name="issuer"/> or self-signed.</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer = null, string dnsName = "localhost", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset from = notBefore ?? DateTimeOffset.Now.AddMinutes(-5);
        DateTimeOffset until = notAfter ?? DateTimeOffset.Now.AddDays(30);
        if (issuer is null)
        {
            using X509Certificate2 self = request.CreateSelfSigned(from, until);
            return Reload(self);
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using X509Certificate2 signed = request.Create(issuer, from, until, serial);
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    public static X509Certificate2 Expired(string dnsName = "localhost") =>
        Leaf(null, dnsName, DateTimeOffset.Now.AddDays(-30), DateTimeOffset.Now.AddDays(-1));

    public static X509Certificate2 NotYetValid(string dnsName = "localhost") =>
        Leaf(null, dnsName, DateTimeOffset.Now.AddDays(1), DateTimeOffset.Now.AddDays(30));

    /// <summary>Writes the certificate (and its key, when <paramref name="withKey"/>) as PEM; returns the path.</summary>
    public static string WritePem(X509Certificate2 cert, string path, bool withKey = false)
    {
        string pem = cert.ExportCertificatePem();
        if (withKey)
            pem += "\n" + cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(path, pem + "\n");
        return path;
    }

    // Through PKCS#12 so the private key is usable by the TLS stack.
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
