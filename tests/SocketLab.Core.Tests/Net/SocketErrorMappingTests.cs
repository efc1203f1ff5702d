using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tests.Net;

/// <summary>SocketLab's own recv/send report errno the way .NET's sockets do, through the runtime's mapping.</summary>
public class SocketErrorMappingTests
{
    [Theory]
    [InlineData(104, SocketError.ConnectionReset)]   // ECONNRESET
    [InlineData(32, SocketError.Shutdown)]           // EPIPE
    [InlineData(110, SocketError.TimedOut)]          // ETIMEDOUT
    [InlineData(113, SocketError.HostUnreachable)]   // EHOSTUNREACH
    [InlineData(101, SocketError.NetworkUnreachable)] // ENETUNREACH
    [InlineData(98, SocketError.AddressAlreadyInUse)] // EADDRINUSE: one the old hand-made table did not know
    public void An_errno_becomes_the_socket_error_dotnet_would_report(int errno, SocketError expected)
    {
        SocketException ex = DontWaitSocket.Error(errno);
        Assert.Equal(expected, ex.SocketErrorCode);
        Assert.Equal(errno, ex.NativeErrorCode);
    }

    [Fact]
    public void A_reset_connection_reads_as_connection_reset()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using (Socket accepted = listener.Accept())
        {
            accepted.LingerState = new LingerOption(true, 0); // Close with RST.
        }
        Assert.True(client.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead), "the RST arrives");
        var ex = Assert.Throws<SocketException>(() => DontWaitSocket.ReceiveNow(client.SafeHandle, new byte[16]));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
        Assert.Equal(104, ex.NativeErrorCode);
    }
}
