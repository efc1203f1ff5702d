using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
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

    /// <summary>Extra trusted certificates (e.g. a test server's self-signed one), in addition to the system's.</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

public static class TlsClient
{
    /// <summary>Runs the client handshake on a connected socket. Throws <see cref="NetworkException"/> with kind TlsFailed.</summary>
    public static async Task<SslStream> AuthenticateAsync(Socket socket, string host, TlsClientOptions options, CancellationToken ct = default)
    {
        string name = options.ServerName ?? host;
        SslPolicyErrors seen = SslPolicyErrors.None;
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
                    seen = errors;
                    if (options.Insecure)
                        return true;
                    if (errors == SslPolicyErrors.RemoteCertificateChainErrors && cert is not null && options.TrustedCertificates is { Count: > 0 } trusted)
                    {
                        seen = TrustedByPin(cert, trusted) ? SslPolicyErrors.None : errors;
                        return seen == SslPolicyErrors.None;
                    }
                    return errors == SslPolicyErrors.None;
                },
            }, deadline.Token).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            string target = $"{name}";
            string why = ex switch
            {
                OperationCanceledException when !ct.IsCancellationRequested => $"timed out after {options.HandshakeTimeout.TotalSeconds:0.#} s",
                AuthenticationException when seen.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) =>
                    $"the certificate is not for '{name}' (use --sni NAME or --insecure)",
                AuthenticationException when seen.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) =>
                    "the certificate is not trusted (self-signed? use --ca FILE or --insecure)",
                AuthenticationException or IOException when seen == SslPolicyErrors.None =>
                    "the server did not answer with TLS (is it a plain TCP port?)",
                _ => ex.Message,
            };
            if (ex is OperationCanceledException && ct.IsCancellationRequested)
                throw;
            throw new NetworkException(NetworkErrorKind.TlsFailed, $"TLS handshake with {target} failed: {why}", ex);
        }
    }

    private static bool TrustedByPin(X509Certificate cert, X509Certificate2Collection trusted)
    {
        byte[] hash = cert.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (X509Certificate2 t in trusted)
        {
            if (t.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).AsSpan().SequenceEqual(hash))
                return true;
        }
        return false;
    }
}
