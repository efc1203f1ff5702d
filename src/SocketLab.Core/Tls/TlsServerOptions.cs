using System.Security.Cryptography.X509Certificates;

namespace SocketLab.Core.Tls;

/// <summary>TLS for a listener: the certificate it presents and how long a handshake may take.</summary>
public sealed record TlsServerOptions(X509Certificate2 Certificate)
{
    /// <summary>A client that has not finished its handshake by then is closed. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What a plain-TCP client reads when it connects (like nginx's plain-HTTP-to-HTTPS page), then FIN.
    /// A front end may say how its users connect with TLS (the CLI names <c>socketlab client --tls</c>).
    /// </summary>
    public string PlainClientNotice { get; init; } = "this port speaks TLS; connect with TLS\n";
}
