using System.Net.Sockets;

namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>Reads exact byte counts from real sockets, bounded in time.</summary>
public static class Wire
{
    public static async Task<byte[]> ReadExactlyAsync(this NetworkStream stream, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cts.Token);
        return buffer;
    }

    /// <summary>True when nothing arrives within <paramref name="wait"/> (the connection stays open).</summary>
    public static async Task<bool> StaysQuietAsync(this NetworkStream stream, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        byte[] one = new byte[1];
        try
        {
            int n = await stream.ReadAsync(one, cts.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>A listener on a free loopback port, started.</summary>
    public static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        return client;
    }
}
