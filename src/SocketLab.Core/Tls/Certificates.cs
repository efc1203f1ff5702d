using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SocketLab.Core.Tls;

/// <summary>Loading certificates from PEM or PFX files, and the cached self-signed one for quick tests.</summary>
public static class Certificates
{
    /// <summary>Loads PEM (certificate + key, in one file or two) or PFX/PKCS#12 (with an optional password).</summary>
    public static X509Certificate2 Load(string certPath, string? keyPath = null, string? password = null)
    {
        string ext = Path.GetExtension(certPath).ToLowerInvariant();
        if (ext is ".pfx" or ".p12")
            return X509CertificateLoader.LoadPkcs12FromFile(certPath, password, X509KeyStorageFlags.Exportable);
        X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certPath, keyPath ?? certPath);
        // Round-trip through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// The self-signed certificate kept in <paramref name="directory"/> (made on first use: ECDSA P-256,
    /// for localhost, 127.0.0.1, ::1 and this machine's name, valid one year; renewed when expired).
    /// </summary>
    public static X509Certificate2 LoadOrCreateSelfSigned(string directory, out bool created)
    {
        string path = Path.Combine(directory, "self-signed.pfx");
        created = false;
        if (File.Exists(path))
        {
            X509Certificate2 existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
            if (existing.NotAfter > DateTime.Now.AddDays(1))
                return existing;
        }
        Directory.CreateDirectory(directory);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SocketLab self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Dns.GetHostName());
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.Now.AddMinutes(-5), DateTimeOffset.Now.AddYears(1));
        byte[] pfx = cert.Export(X509ContentType.Pkcs12);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, pfx);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        created = true;
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    /// <summary>SHA-256 fingerprint as colon-separated hex, the form browsers and openssl show.</summary>
    public static string Fingerprint(X509Certificate2 cert) =>
        string.Join(':', cert.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2")));

    /// <summary>The certificate alone as PEM, for clients to trust with --ca.</summary>
    public static string ExportPem(X509Certificate2 cert) => cert.ExportCertificatePem();
}
