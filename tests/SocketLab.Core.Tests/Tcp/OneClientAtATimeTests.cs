using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

/// <summary>
/// <see cref="TcpServerOptions.OneClientAtATime"/> with listen(3), as the seed's board server: on real
/// loopback sockets, later clients connect (the kernel completes the handshake) but get no echo until
/// the clients before them have closed, then are served in turn.
/// </summary>
public class OneClientAtATimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(SocketEngine.Epoll)]
    [InlineData(SocketEngine.Async)]
    public async Task Later_clients_are_queued_by_the_kernel_and_served_in_turn(SocketEngine engine)
    {
        int accepting = 0;
        await using var server = new TcpServer(new TcpServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            Backlog = 3,
            OneClientAtATime = true,
            Engine = engine,
        }, new NoObserver());
        server.Accepting += () => Interlocked.Increment(ref accepting);
        server.Start();

        using Socket first = await ConnectAsync(server.LocalEndPoint);
        using Socket second = await ConnectAsync(server.LocalEndPoint); // handshake done by the kernel
        using Socket third = await ConnectAsync(server.LocalEndPoint);
        await second.SendAsync("two"u8.ToArray());
        await third.SendAsync("three"u8.ToArray());

        Assert.Equal("one", await EchoAsync(first, "one"));
        await Task.Delay(300);
        Assert.Equal(0, second.Available); // no echo while the first is served
        Assert.Single(server.Connections);

        first.Shutdown(SocketShutdown.Send);
        Assert.Equal("two", await ReadAsync(second, 3));       // its queued data is served now
        Assert.Equal(0, third.Available);

        second.Shutdown(SocketShutdown.Send);
        Assert.Equal("three", await ReadAsync(third, 5));
        Assert.Equal(2, Volatile.Read(ref accepting));
        Assert.Equal(3, server.TotalAccepted);
    }

    [Fact]
    public void As_board_is_listen_3_one_client_at_a_time_and_recv_1024_reads_keeping_the_rest()
    {
        var options = new TcpServerOptions { Port = 7, Connection = new TcpConnectionOptions { Echo = false } }.AsBoard();

        Assert.Equal((3, true, 1024), (options.Backlog, options.OneClientAtATime, options.Connection.ReceiveBufferSize));
        Assert.Equal((7, false), (options.Port, options.Connection.Echo));
    }

    [Fact]
    public async Task The_default_serves_every_client_at_once()
    {
        await using var server = new LoopbackServer();
        using Socket first = await server.ConnectAsync();
        using Socket second = await server.ConnectAsync();

        Assert.Equal("a", await EchoAsync(first, "a"));
        Assert.Equal("b", await EchoAsync(second, "b"));
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(endPoint).WaitAsync(Wait);
        return s;
    }

    private static async Task<string> EchoAsync(Socket s, string text)
    {
        await s.SendAsync(System.Text.Encoding.ASCII.GetBytes(text));
        return await ReadAsync(s, text.Length);
    }

    private static async Task<string> ReadAsync(Socket s, int count)
    {
        byte[] buffer = new byte[count];
        int got = 0;
        using var cts = new CancellationTokenSource(Wait);
        while (got < count)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got), cts.Token);
            if (n == 0)
                break;
            got += n;
        }
        return System.Text.Encoding.ASCII.GetString(buffer, 0, got);
    }

    private sealed class NoObserver : IConnectionObserver;
}
