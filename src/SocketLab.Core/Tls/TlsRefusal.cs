namespace SocketLab.Core.Tls;

/// <summary>Why a TLS client refused the server's certificate, as a code; each front end words it and says what to do.</summary>
public enum TlsRefusalKind
{
    NoCertificate,
    /// <summary>Not issued for the name asked for (<see cref="TlsRefusal.Name"/>).</summary>
    NameMismatch,
    Expired,
    NotYetValid,
    /// <summary>None of the given pins matches (<see cref="TlsRefusal.Fingerprint"/> and <see cref="TlsRefusal.PublicKeyHash"/> say what would).</summary>
    PinMismatch,
    /// <summary>No chain to a CA the system trusts (self-signed?).</summary>
    Untrusted,
    /// <summary>No chain to the CA bundle given (<see cref="TlsRefusal.Detail"/> says why).</summary>
    UntrustedByBundle,
}

/// <summary>A refused certificate: its code, the fields a message needs, and neutral English (<see cref="Text"/>).</summary>
public sealed record TlsRefusal(TlsRefusalKind Kind, string Name, string? Detail = null, string? Fingerprint = null, string? PublicKeyHash = null)
{
    public string Text => Kind switch
    {
        TlsRefusalKind.NoCertificate => "the server sent no certificate",
        TlsRefusalKind.NameMismatch => $"the certificate is not for '{Name}'",
        TlsRefusalKind.Expired => $"the certificate has expired ({Detail})",
        TlsRefusalKind.NotYetValid => $"the certificate is not valid yet ({Detail}; check this machine's clock)",
        TlsRefusalKind.PinMismatch => $"the certificate matches no pin (its SHA-256 is {Fingerprint}, its public key's sha256//{PublicKeyHash})",
        TlsRefusalKind.Untrusted => "the certificate is not trusted (self-signed?)",
        _ => $"the certificate is not trusted by the CA bundle ({Detail})",
    };
}

/// <summary>The inner exception of a <see cref="Net.NetworkException"/> whose handshake refused the certificate.</summary>
public sealed class TlsRefusedException(TlsRefusal refusal) : Exception(refusal.Text)
{
    public TlsRefusal Refusal { get; } = refusal;
}
