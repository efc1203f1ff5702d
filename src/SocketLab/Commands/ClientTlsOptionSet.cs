using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Tls;

namespace SocketLab.Cli.Commands;

/// <summary>--tls, --insecure, --sni, --ca for connecting commands.</summary>
public sealed class ClientTlsOptionSet
{
    public Option<bool> Tls { get; } = new("--tls") { Description = "Connect with TLS; the server's certificate is verified" };
    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = "With --tls: accept any certificate (test servers only)" };
    public Option<string?> Sni { get; } = new("--sni") { Description = "With --tls: server name to send and to check the certificate against [default: HOST]" };
    public Option<FileInfo?> Ca { get; } = new("--ca") { Description = "With --tls: also trust this PEM certificate (e.g. a socketlab server's self-signed one)" };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Tls, Insecure, Sni, Ca })
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
                throw new CliException(ExitCodes.FileError, $"cannot read --ca '{ca.Name}': {ex.Message.ReplaceLineEndings(" ").Trim()}");
            }
            if (trusted.Count == 0)
                throw new CliException(ExitCodes.FileError, $"--ca '{ca.Name}' holds no PEM certificate");
        }
        return new TlsClientOptions { Insecure = r.GetValue(Insecure), ServerName = r.GetValue(Sni), TrustedCertificates = trusted };
    }
}
