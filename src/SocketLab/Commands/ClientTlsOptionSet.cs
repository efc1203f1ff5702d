using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Tls;

namespace SocketLab.Cli.Commands;

/// <summary>--tls, --insecure, --sni, --ca, --pin for connecting commands (curl's -k, --cacert, --pinnedpubkey).</summary>
public sealed class ClientTlsOptionSet
{
    public Option<bool> Tls { get; } = new("--tls") { Description = "Connect with TLS; the server's certificate is verified" };
    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = "With --tls: accept any certificate (test servers only)" };
    public Option<string?> Sni { get; } = new("--sni") { Description = "With --tls: server name to send and to check the certificate against [default: HOST]" };
    public Option<FileInfo?> Ca { get; } = new("--ca") { Description = "With --tls: PEM CA bundle to verify the server's chain against instead of the system's roots (a socketlab server's self-signed certificate works too)" };
    public Option<string[]> Pin { get; } = new("--pin")
    {
        Description = "With --tls: the server's certificate must have this SHA-256 fingerprint (hex, as 'server --tls' prints it) or public-key pin (sha256//BASE64, as curl's --pinnedpubkey); repeatable. Stands in for --ca, never for the validity period or the name",
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r =>
        {
            foreach (var t in r.Tokens)
            {
                if (!CertificatePin.TryParse(t.Value, out _, out string error))
                    r.AddError($"--pin: {error}");
            }
            return r.Tokens.Select(t => t.Value).ToArray();
        },
    };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Tls, Insecure, Sni, Ca, Pin })
            command.Options.Add(o);
    }

    public TlsClientOptions? Resolve(ParseResult r)
    {
        if (!r.GetValue(Tls))
            return null;
        X509Certificate2Collection? trusted = null;
        if (r.GetValue(Ca) is { } ca)
        {
            trusted = [];
            try
            {
                trusted.ImportFromPemFile(ca.FullName);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.FileError, $"cannot read --ca '{ca.FullName}': {ex.Message.ReplaceLineEndings(" ").Trim()}");
            }
            if (trusted.Count == 0)
                throw new CliException(ExitCodes.FileError, $"--ca '{ca.FullName}' holds no PEM certificate");
        }
        List<CertificatePin> pins = [];
        foreach (string p in r.GetValue(Pin) ?? [])
        {
            CertificatePin.TryParse(p, out CertificatePin? pin, out _);
            pins.Add(pin!);
        }
        return new TlsClientOptions { Insecure = r.GetValue(Insecure), ServerName = r.GetValue(Sni), TrustedCertificates = trusted, Pins = pins };
    }
}
