using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tls;

/// <summary>Client-side TLS settings. Certificates are verified unless <see cref="Insecure"/>.</summary>
public sealed record TlsClientOptions
{
    /// <summary>Server name to send (SNI) and to check the certificate against; default: the host connected to.</summary>
    public string? ServerName { get; init; }

    /// <summary>Accept any certificate (self-signed test servers). Prints no warning itself: the caller should.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// A CA bundle (curl's <c>--cacert</c>): when set, the server's chain must end in one of these instead
    /// of the system's roots. A self-signed server certificate in the bundle is its own root, so a
    /// <c>socketlab server --tls</c> certificate works here too.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>
    /// SHA-256 pins (curl's <c>--pinnedpubkey</c>): the server's certificate must match one. A pin stands in
    /// for the chain of trust (unless <see cref="TrustedCertificates"/> is given too, then both must hold) but
    /// never for the validity period or the host name.
    /// </summary>
    public IReadOnlyList<CertificatePin>? Pins { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

public static class TlsClient
{
    /// <summary>Runs the client handshake on a connected socket. Throws <see cref="NetworkException"/> with kind TlsFailed.</summary>
    public static async Task<SslStream> AuthenticateAsync(Socket socket, string host, TlsClientOptions options, CancellationToken ct = default)
    {
        string name = options.ServerName ?? host;
        TlsRefusal? refused = null;
        bool checkedCertificate = false;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = name,
                RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                {
                    checkedCertificate = true;
                    if (options.Insecure)
                        return true;
                    refused = Verify(cert, chain, errors, name, options, DateTime.Now);
                    return refused is null;
                },
            }, deadline.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && ct.IsCancellationRequested)
                throw;
            if (ex is AuthenticationException && refused is not null)
                throw new NetworkException(NetworkErrorKind.TlsFailed, NetworkOperation.Handshake, name, refused.Text, new TlsRefusedException(refused));
            string why = ex switch
            {
                OperationCanceledException => $"timed out after {options.HandshakeTimeout.TotalSeconds:0.#} s",
                AuthenticationException or IOException when !checkedCertificate =>
                    "the server did not answer with TLS (is it a plain TCP port?)",
                _ => ex.Message,
            };
            throw new NetworkException(NetworkErrorKind.TlsFailed, NetworkOperation.Handshake, name, why, ex);
        }
    }

    /// <summary>
    /// Why the server's certificate is refused, or null when it is accepted. Checked in this order, each
    /// with its own message: the name, the validity period, the pins, then the chain of trust (against
    /// the CA bundle when there is one, else the system's decision; skipped when a pin matched and no
    /// bundle was given).
    /// </summary>
    internal static TlsRefusal? Verify(X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors, string name, TlsClientOptions options, DateTime now)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return new TlsRefusal(TlsRefusalKind.NoCertificate, name);
        X509Certificate2 cert = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return new TlsRefusal(TlsRefusalKind.NameMismatch, name);
        if (now > cert.NotAfter)
            return new TlsRefusal(TlsRefusalKind.Expired, name, $"valid until {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        if (now < cert.NotBefore)
            return new TlsRefusal(TlsRefusalKind.NotYetValid, name, $"valid from {cert.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        if (options.Pins is { Count: > 0 } pins)
        {
            if (!pins.Any(p => p.Matches(cert)))
                return new TlsRefusal(TlsRefusalKind.PinMismatch, name, Fingerprint: Certificates.Fingerprint(cert), PublicKeyHash: CertificatePin.PublicKeyHash(cert));
            if (options.TrustedCertificates is not { Count: > 0 })
                return null; // The pin stands in for the chain of trust.
        }
        if (options.TrustedCertificates is { Count: > 0 } bundle)
            return ChainToBundle(cert, chain, bundle, now) is { } problem ? new TlsRefusal(TlsRefusalKind.UntrustedByBundle, name, problem) : null;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            return new TlsRefusal(TlsRefusalKind.Untrusted, name);
        return null;
    }

    /// <summary>Builds the chain with the bundle as the only roots (plus the intermediates the server sent).</summary>
    private static string? ChainToBundle(X509Certificate2 cert, X509Chain? sent, X509Certificate2Collection bundle, DateTime now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now;
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (X509ChainElement e in sent.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(e.Certificate);
        }
        if (chain.Build(cert))
            return null;
        return ChainProblem(chain);
    }

    private static string ChainProblem(X509Chain? chain)
    {
        if (chain is null)
            return "no chain";
        X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
        foreach (X509ChainStatus s in chain.ChainStatus)
            flags |= s.Status;
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
            return "a certificate in its chain has expired or is not valid yet";
        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
            return "its issuer is not a trusted CA";
        return flags == X509ChainStatusFlags.NoError ? "chain error" : flags.ToString();
    }
}

/// <summary>
/// A SHA-256 pin on the server's certificate. Two spellings: 64 hex digits (colons allowed) are the
/// SHA-256 of the whole certificate, as <c>socketlab server --tls</c> and <c>openssl x509 -fingerprint -sha256</c>
/// print it; <c>sha256//BASE64</c> is the SHA-256 of its public key (SubjectPublicKeyInfo), as curl's
/// <c>--pinnedpubkey</c> takes it, which survives a renewal that keeps the key.
/// </summary>
public sealed record CertificatePin(bool PublicKey, byte[] Hash)
{
    public static bool TryParse(string text, out CertificatePin? pin, out string error)
    {
        pin = null;
        error = "";
        string t = text.Trim();
        if (t.StartsWith("sha256//", StringComparison.OrdinalIgnoreCase))
        {
            byte[] hash = new byte[64];
            if (!Convert.TryFromBase64String(t[8..], hash, out int n) || n != 32)
            {
                error = $"'{text}' is not sha256// and the base64 of 32 bytes";
                return false;
            }
            pin = new CertificatePin(true, hash[..32]);
            return true;
        }
        string hex = t.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            error = $"'{text}' is neither a SHA-256 fingerprint (64 hex digits, colons allowed) nor sha256//BASE64 of a public key";
            return false;
        }
        pin = new CertificatePin(false, Convert.FromHexString(hex));
        return true;
    }

    public bool Matches(X509Certificate2 cert) =>
        (PublicKey ? SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()) : cert.GetCertHash(HashAlgorithmName.SHA256)).AsSpan().SequenceEqual(Hash);

    /// <summary>The base64 SHA-256 of the certificate's public key, curl's pin form without the <c>sha256//</c>.</summary>
    public static string PublicKeyHash(X509Certificate2 cert) => Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo()));
}
