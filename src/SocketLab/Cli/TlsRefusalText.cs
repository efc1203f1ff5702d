using SocketLab.Core.Tls;

namespace SocketLab.Cli;

/// <summary>A refused certificate in the CLI's words: what is wrong and which option accepts it anyway.</summary>
public static class TlsRefusalText
{
    public static string Of(TlsRefusal r) => r.Kind switch
    {
        TlsRefusalKind.NameMismatch => $"the certificate is not for '{r.Name}' (use --sni NAME or --insecure)",
        TlsRefusalKind.PinMismatch => $"the certificate matches no --pin (its SHA-256 is {r.Fingerprint}, its public key's sha256//{r.PublicKeyHash})",
        TlsRefusalKind.Untrusted => "the certificate is not trusted (self-signed? use --ca FILE, --pin SHA256 or --insecure)",
        TlsRefusalKind.UntrustedByBundle => $"the certificate is not trusted by --ca ({r.Detail})",
        _ => r.Text,
    };
}
