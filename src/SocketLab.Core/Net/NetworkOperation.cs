namespace SocketLab.Core.Net;

/// <summary>What was being done when a <see cref="NetworkException"/> happened (Go's <c>OpError.Op</c>).</summary>
public enum NetworkOperation
{
    /// <summary>Described by <see cref="NetworkException.Doing"/> only.</summary>
    Other,
    /// <summary>Looking up a host name.</summary>
    Resolve,
    /// <summary>Opening a TCP connection (or a connected UDP socket) to <see cref="NetworkException.Address"/>.</summary>
    Connect,
    /// <summary>Listening for TCP connections on <see cref="NetworkException.Address"/>.</summary>
    Listen,
    /// <summary>Binding a UDP socket to <see cref="NetworkException.Address"/>.</summary>
    Bind,
    /// <summary>Joining the multicast group(s) in <see cref="NetworkException.Address"/>.</summary>
    JoinGroup,
    /// <summary>Sending to <see cref="NetworkException.Address"/> (or on a connection when that is null).</summary>
    Send,
    /// <summary>Reaching a UDP echo server at <see cref="NetworkException.Address"/>.</summary>
    Reach,
    /// <summary>The TLS handshake with <see cref="NetworkException.Address"/> (a host name).</summary>
    Handshake,
    /// <summary>Serving HTTP on <see cref="NetworkException.Address"/>.</summary>
    Serve,
}
