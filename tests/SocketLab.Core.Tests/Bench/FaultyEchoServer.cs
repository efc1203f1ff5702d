using System.Net;
using System.Net.Sockets;

namespace SocketLab.Tests.Shared;

/// <summary>
/// A deliberately bad echo server on 127.0.0.1: it echoes faithfully, then, on each connection, flips one
/// byte after <c>corruptAt</c> bytes, or closes the connection there. Shared by the Core and CLI tests.
/// </summary>
internal sealed class FaultyEchoServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly long _faultAt;
    private readonly bool _close;
    private readonly TimeSpan _stall;
    private readonly Task _accepting;

    private FaultyEchoServer(long faultAt, bool close, TimeSpan stall = default)
    {
        _faultAt = faultAt;
        _close = close;
        _stall = stall;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    /// <summary>Flips the bits of the byte at stream offset <paramref name="at"/> of every connection.</summary>
    public static FaultyEchoServer Corrupting(long at) => new(at, close: false);

    /// <summary>Closes every connection once <paramref name="at"/> bytes were echoed.</summary>
    public static FaultyEchoServer Closing(long at) => new(at, close: true);

    /// <summary>Echoes faithfully, but stops for <paramref name="stall"/> once <paramref name="at"/> bytes of a connection arrived.</summary>
    public static FaultyEchoServer Stalling(long at, TimeSpan stall) => new(at, close: false, stall);

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    private async Task AcceptAsync()
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                Socket s = await _listener.AcceptAsync(_stop.Token);
                running.Add(EchoAsync(s));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
        await Task.WhenAll(running);
    }

    private async Task EchoAsync(Socket s)
    {
        using (s)
        {
            byte[] buffer = new byte[16 * 1024];
            long echoed = 0;
            try
            {
                while (true)
                {
                    int n = await s.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n == 0)
                        return;
                    if (echoed <= _faultAt && _faultAt < echoed + n)
                    {
                        if (_stall > TimeSpan.Zero)
                            await Task.Delay(_stall, _stop.Token);
                        else if (_close)
                            return;
                        else
                            buffer[_faultAt - echoed] ^= 0xFF;
                    }
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                    echoed += n;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
