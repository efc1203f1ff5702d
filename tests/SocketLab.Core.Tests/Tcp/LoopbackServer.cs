using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>A real <see cref="TcpServer"/> on 127.0.0.1 and a free port, for one test.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    public LoopbackServer(TcpConnectionOptions? connection = null, int maxClients = 0, IConnectionObserver? observer = null, ServerEngine engine = ServerEngine.Auto)
    {
        connection ??= new();
        if (engine == ServerEngine.Portable)
            connection = connection with { PortableSockets = true };
        Server = new TcpServer(
            new TcpServerOptions
            {
                BindAddress = IPAddress.Loopback, Port = 0, MaxClients = maxClients, Connection = connection, Engine = engine.ToSocketEngine(),
                UringSingleReceives = engine == ServerEngine.UringSingleReceives,
            },
            observer ?? new NullObserver());
        Server.Start();
        Assert.Equal(engine switch
        {
            ServerEngine.Auto or ServerEngine.Epoll => SocketEngine.Epoll,
            ServerEngine.Uring or ServerEngine.UringSingleReceives => SocketEngine.Uring,
            _ => SocketEngine.Async,
        }, Server.Engine);
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

/// <summary>The ways a test's server can run: each engine, and the async engine on the socket calls every OS has
/// (<see cref="TcpConnectionOptions.PortableSockets"/>: what Windows and macOS run, forced on Linux).</summary>
public enum ServerEngine
{
    Auto,
    Epoll,
    Async,
    Portable,
    Uring,
    /// <summary>The uring engine as on a kernel before 6.17, without the multishot receive's cap: single receives.</summary>
    UringSingleReceives,
}

internal static class ServerEngines
{
    public static SocketEngine ToSocketEngine(this ServerEngine engine) => engine switch
    {
        ServerEngine.Epoll => SocketEngine.Epoll,
        ServerEngine.Uring or ServerEngine.UringSingleReceives => SocketEngine.Uring,
        ServerEngine.Async or ServerEngine.Portable => SocketEngine.Async,
        _ => SocketEngine.Auto,
    };
}
