using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

public class ConnectorTests
{
    [Fact]
    public async Task Refused_is_reported_as_refused()
    {
        int port = FreePort();
        var ex = await Assert.ThrowsAsync<NetworkException>(() => TcpConnector.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(5)));
        Assert.Equal(NetworkErrorKind.ConnectionRefused, ex.Kind);
        Assert.Equal(NetworkOperation.Connect, ex.Operation);
        Assert.Equal($"127.0.0.1:{port}", ex.Address);
        Assert.Equal(111, ex.Errno); // ECONNREFUSED
        Assert.Equal($"cannot connect to 127.0.0.1:{port}: connection refused (nothing is listening on that port)", ex.Message);
    }

    [Fact]
    public async Task Unknown_host_is_reported_as_unknown_host()
    {
        var ex = await Assert.ThrowsAsync<NetworkException>(() => TcpConnector.ConnectAsync("no-such-host.invalid", 5001, TimeSpan.FromSeconds(10)));
        Assert.Equal(NetworkErrorKind.UnknownHost, ex.Kind);
    }

    [Fact]
    public async Task A_listener_whose_queue_is_full_times_out()
    {
        using Socket listener = FullListener(out List<Socket> fillers);
        try
        {
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var ex = await Assert.ThrowsAsync<NetworkException>(() => TcpConnector.ConnectAsync("127.0.0.1", port, TimeSpan.FromMilliseconds(500)));
            Assert.Equal(NetworkErrorKind.TimedOut, ex.Kind);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    /// <summary>A listener that never accepts, with its accept queue full: the kernel drops further SYNs, so connects hang.</summary>
    internal static Socket FullListener(out List<Socket> fillers)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        fillers = [];
        for (int i = 0; i < 8; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try { s.Connect(listener.LocalEndPoint!); }
            catch (SocketException) { }
            fillers.Add(s);
        }
        // Full once the kernel has completed as many handshakes as the queue holds (backlog + 1 on Linux):
        // those fillers are connected, so writable; every later SYN is dropped.
        var full = System.Diagnostics.Stopwatch.StartNew();
        while (fillers.Count(f => f.Poll(0, SelectMode.SelectWrite)) < 2)
        {
            if (full.Elapsed > TimeSpan.FromSeconds(10))
                throw new TimeoutException("the listener's accept queue did not fill");
            Thread.Sleep(10);
        }
        return listener;
    }

    internal static int FreePort()
    {
        using var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)l.LocalEndPoint!).Port;
    }

    [Fact]
    public void Backoff_grows_is_capped_and_never_spins()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), new Random(1));
        var delays = Enumerable.Range(0, 12).Select(_ => backoff.Next()).ToList();
        Assert.All(delays, d => Assert.InRange(d, ReconnectBackoff.Minimum, TimeSpan.FromSeconds(2)));
        Assert.True(delays[^1] >= TimeSpan.FromSeconds(1), "later delays reach the cap's upper half");
        Assert.True(delays[0] <= TimeSpan.FromMilliseconds(100));
        backoff.Reset();
        Assert.True(backoff.Next() <= TimeSpan.FromMilliseconds(100));

        var zero = new ReconnectBackoff(TimeSpan.Zero, TimeSpan.Zero);
        Assert.All(Enumerable.Range(0, 5).Select(_ => zero.Next()), d => Assert.True(d >= ReconnectBackoff.Minimum));
    }
}
