using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

public class RestartTests
{
    [Fact]
    public async Task A_stopped_server_can_listen_again_at_once_although_its_closed_connections_wait_in_time_wait()
    {
        await using var first = new LoopbackServer();
        int port = first.EndPoint.Port;
        var clients = new List<Socket>();
        for (int i = 0; i < 5; i++)
            clients.Add(await first.ConnectAsync());
        await WaitUntilAsync(() => first.Server.Connections.Count == 5);
        await first.Server.StopAsync(TimeSpan.FromSeconds(5)); // The server closes first: its side keeps TIME_WAIT.
        clients.ForEach(c => c.Dispose());

        await using var again = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = port }, new NullObserver());
        again.Start();
        Assert.Equal(port, again.LocalEndPoint.Port);

        // Still only one listener per port.
        await using var third = new TcpServer(new TcpServerOptions { BindAddress = IPAddress.Loopback, Port = port }, new NullObserver());
        var ex = Assert.Throws<NetworkException>(third.Start);
        Assert.Equal(NetworkErrorKind.AddressInUse, ex.Kind);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
            await Task.Delay(25);
        Assert.True(condition());
    }

    private sealed class NullObserver : IConnectionObserver;
}
