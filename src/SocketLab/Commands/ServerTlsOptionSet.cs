using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Tls;

namespace SocketLab.Cli.Commands;

/// <summary>--tls, --cert, --key, --cert-password, --tls-handshake-timeout for listening commands.</summary>
public sealed class ServerTlsOptionSet
{
    public Option<bool> Tls { get; } = new("--tls") { Description = "Serve TLS; without --cert a self-signed certificate is made once and reused (its fingerprint is printed)" };
    public Option<FileInfo?> Cert { get; } = new("--cert") { Description = "Certificate: PEM (with the key inside or in --key) or PFX/P12; implies --tls" };
    public Option<FileInfo?> Key { get; } = new("--key") { Description = "PEM private key for --cert" };
    public Option<string?> Password { get; } = new("--cert-password") { Description = "Password of a PFX --cert" };
    public Option<TimeSpan> HandshakeTimeout { get; } = CommonOptions.Duration("--tls-handshake-timeout", "Close clients that have not finished the TLS handshake by then [default: 10s]", TimeSpan.FromSeconds(10));

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Tls, Cert, Key, Password, HandshakeTimeout })
            command.Options.Add(o);
    }

    /// <summary>The TLS settings, or null for plain TCP. Throws <see cref="CliException"/> for unreadable certificates.</summary>
    public TlsServerOptions? Resolve(ParseResult r, Action<string> info)
    {
        FileInfo? cert = r.GetValue(Cert);
        if (!r.GetValue(Tls) && cert is null)
            return null;
        X509Certificate2 certificate;
        if (cert is not null)
        {
            try
            {
                certificate = Certificates.Load(cert.FullName, r.GetValue(Key)?.FullName, r.GetValue(Password));
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliException(ExitCodes.FileError, $"cannot load certificate '{cert.Name}': {ex.Message.ReplaceLineEndings(" ").Trim()}");
            }
            if (!certificate.HasPrivateKey)
                throw new CliException(ExitCodes.FileError, $"certificate '{cert.Name}' has no private key (pass --key FILE)");
        }
        else
        {
            string dir = Path.Combine(DataDirectory.Path, "tls");
            certificate = Certificates.LoadOrCreateSelfSigned(dir, out bool created);
            info($"TLS: {(created ? "made a" : "using the")} self-signed certificate in {dir} (trust it with: --ca {Path.Combine(dir, "self-signed.pem")})");
            File.WriteAllText(Path.Combine(dir, "self-signed.pem"), Certificates.ExportPem(certificate));
        }
        info($"TLS certificate SHA-256 fingerprint: {Certificates.Fingerprint(certificate)}");
        info($"TLS public-key pin: sha256//{CertificatePin.PublicKeyHash(certificate)} (client --pin takes either)");
        return new TlsServerOptions(certificate)
        {
            HandshakeTimeout = r.GetValue(HandshakeTimeout),
            PlainClientNotice = "socketlab: this port speaks TLS; connect with TLS (socketlab client --tls)\n",
        };
    }
}
