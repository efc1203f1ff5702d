using System.Net;

namespace SocketLab.Core.Tcp;

/// <summary>Listener settings; the defaults follow the seed's board program, made concurrent.</summary>
public sealed record TcpServerOptions
{
    /// <summary>The seed's port.</summary>
    public const int DefaultPort = 5001;

    /// <summary>Address to bind. Default <see cref="IPAddress.IPv6Any"/> in dual mode: every IPv4 and IPv6 interface.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>0 asks the OS for a free port; <see cref="TcpServer.LocalEndPoint"/> tells which.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Pending-connection queue length (the seed used 3; Kestrel uses 512).</summary>
    public int Backlog { get; init; } = 512;

    /// <summary>Connections served at once; one more is accepted and closed straight away. 0 = no limit.</summary>
    public int MaxClients { get; init; }

    public TcpConnectionOptions Connection { get; init; } = new();
}
