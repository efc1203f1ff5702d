using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tcp;

/// <summary>Opens outgoing TCP connections with a timeout and errors a person can act on.</summary>
public static class TcpConnector
{
    /// <summary>
    /// Resolves <paramref name="host"/> and connects to the first address that answers.
    /// Throws <see cref="NetworkException"/> (refused, timed out, unknown host, unreachable).
    /// </summary>
    public static Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ConnectAsync(host, port, timeout, static (socket, target, ct) => socket.ConnectAsync(target, ct), cancellationToken);

    /// <summary>Like the overload above, with each address's connect made by <paramref name="connect"/> (e.g. one watched by an engine of SocketLab's own).</summary>
    internal static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, Func<Socket, IPEndPoint, CancellationToken, ValueTask> connect, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            deadline.CancelAfter(timeout);
        string target = $"{host}:{port}";

        IPAddress[] addresses;
        try
        {
            addresses = await HostResolver.ResolveAllAsync(host, deadline.Token, NetworkOperation.Connect, target).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NetworkException(NetworkErrorKind.TimedOut, NetworkOperation.Connect, target, $"{NetworkException.TimedOutAfter(timeout)} looking up the host");
        }

        NetworkException? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await connect(socket, new IPEndPoint(address, port), deadline.Token).ConfigureAwait(false);
                return socket;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new NetworkException(NetworkErrorKind.TimedOut, NetworkOperation.Connect, target, NetworkException.TimedOutAfter(timeout));
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = NetworkException.From(ex, NetworkOperation.Connect, target);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
