namespace SocketLab.Core.Tcp;

/// <summary>Which limit refused a connection (<see cref="CloseReason.Rejected"/>); the CLI and the page word it their own way.</summary>
public enum RejectionKind
{
    /// <summary>The peer's address is not allowed by <see cref="TcpServerOptions.Access"/>.</summary>
    AccessDenied,

    /// <summary><see cref="TcpServerOptions.MaxClients"/> connections were being served already.</summary>
    TooManyClients,

    /// <summary>The process is out of file descriptors (its open-file limit).</summary>
    OutOfDescriptors,
}

/// <summary>Why a server refused a connection: the limit, and its value where it has one.</summary>
public sealed record Rejection(RejectionKind Kind, int Limit = 0)
{
    /// <summary>Neutral English, naming no option: what an observer gets as the close's detail.</summary>
    public override string ToString() => Kind switch
    {
        RejectionKind.AccessDenied => "the address is not allowed",
        RejectionKind.TooManyClients => $"{Limit} clients are connected already",
        _ => "out of file descriptors",
    };
}
