using System.Net.Sockets;

namespace SocketLab.Core.Bridge;

/// <summary>Reading and writing one TCP socket of a bridge: the loop both TCP ends use.</summary>
internal static class TcpBridgeStream
{
    /// <summary>Reads until FIN, reset or stop, forwarding each chunk.</summary>
    public static async Task<BridgeEndResult> PumpAsync(Socket socket, Func<ReadOnlyMemory<byte>, ValueTask> forward, CancellationToken stop)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
                if (n == 0)
                    return new BridgeEndResult(BridgeEndReason.Closed);
                await forward(buffer.AsMemory(0, n)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return new BridgeEndResult(BridgeEndReason.Stopped);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return new BridgeEndResult(BridgeEndReason.Reset, "connection reset by peer");
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return new BridgeEndResult(BridgeEndReason.Stopped);
        }
    }

    /// <summary>Sends all of <paramref name="data"/>; false when the socket is gone (its reader reports how).</summary>
    public static async ValueTask<bool> SendAllAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        try
        {
            for (int sent = 0; sent < data.Length;)
                sent += await socket.SendAsync(data[sent..], SocketFlags.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
