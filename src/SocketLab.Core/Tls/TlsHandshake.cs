using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace SocketLab.Core.Tls;

/// <summary>The server side of a TLS handshake, with a clear answer for clients that speak plain TCP.</summary>
internal static class TlsHandshake
{
    /// <summary>
    /// Sends the notice, then FIN, then reads what the client still sends (bounded) so that closing
    /// does not turn into a reset that would destroy the notice before the client reads it.
    /// </summary>
    private static async Task TellPlainClientAsync(Socket socket, string notice, CancellationToken ct)
    {
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(notice), SocketFlags.None, ct).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            byte[] sink = new byte[4096];
            for (int total = 0; total < 1024 * 1024;)
            {
                int n = await socket.ReceiveAsync(sink.AsMemory(), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                    break;
                total += n;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException) { }
    }

    /// <summary>Runs the handshake; returns null on success (after handing over the stream) or why it failed.</summary>
    public static async Task<string?> AcceptAsync(Socket socket, TlsServerOptions options, CancellationToken ct, Action<SslStream> ready)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.HandshakeTimeout);
        try
        {
            // A TLS ClientHello starts with record type 22 (0x16); anything else is a plain client.
            byte[] first = new byte[1];
            int n = await socket.ReceiveAsync(first.AsMemory(), SocketFlags.Peek, deadline.Token).ConfigureAwait(false);
            if (n == 0)
                return "closed before the TLS handshake";
            if (first[0] != 0x16)
            {
                await TellPlainClientAsync(socket, options.PlainClientNotice, deadline.Token).ConfigureAwait(false);
                return "client did not start TLS (plain TCP on a TLS port?)";
            }

            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = options.Certificate,
                    ClientCertificateRequired = false,
                    EnabledSslProtocols = SslProtocols.None, // The OS's secure defaults (TLS 1.2/1.3).
                }, deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            ready(ssl);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"TLS handshake timed out after {options.HandshakeTimeout.TotalSeconds:0.#} s";
        }
        catch (OperationCanceledException)
        {
            return "server stopping";
        }
        catch (AuthenticationException ex)
        {
            return $"TLS handshake failed: {ex.Message}";
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return $"TLS handshake failed: {ex.Message}";
        }
    }
}
