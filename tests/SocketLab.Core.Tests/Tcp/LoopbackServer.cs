using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>A real <see cref="TcpServer"/> on 127.0.0.1 and a free port, for one test.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public LoopbackServer(TcpConnectionOptions? connection = null, int maxClients = 0, IConnectionObserver? observer = null, SocketEngine engine = SocketEngine.Auto)
    {
        Server = new TcpServer(
            new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = 0, MaxClients = maxClients, Connection = connection ?? new(), Engine = engine },
            observer ?? new NullObserver());
        Server.Start();
        Assert.Equal(engine == SocketEngine.Auto ? SocketEngine.Epoll : engine, Server.Engine);
    }

    public TcpServer Server { get; }
    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public async Task<Socket> ConnectAsync()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(EndPoint);
        return s;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed class NullObserver : IConnectionObserver;
}
