using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tls;

/// <summary>Tells that a server a plain-TCP client talked to speaks TLS.</summary>
public static class TlsSniff
{
    // How socketlab TLS servers answer plain clients (TlsServerOptions.PlainClientNotice): the CLI's and the default.
    private static readonly byte[][] Notices = ["socketlab: this port speaks TLS"u8.ToArray(), "this port speaks TLS"u8.ToArray()];

    /// <summary>How many leading bytes <see cref="IsTlsAnswer"/> looks at.</summary>
    public static int Needed => Notices[0].Length;

    /// <summary>
    /// True for a TLS record header (an alert 0x15 or a handshake 0x16, then version 3.0-3.4: what some TLS servers
    /// answer a plain greeting with) or for the notice a socketlab TLS server sends plain clients.
    /// </summary>
    public static bool IsTlsAnswer(ReadOnlySpan<byte> first)
    {
        if (first.Length >= 3 && first[0] is 0x15 or 0x16 && first[1] == 0x03 && first[2] <= 0x04)
            return true;
        foreach (byte[] notice in Notices)
        {
            int n = Math.Min(first.Length, notice.Length);
            if (n >= 16 && notice.AsSpan().StartsWith(first[..n]))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Connects once more and tries a TLS handshake (any certificate accepted: only the protocol is in question).
    /// For servers that close on a plain greeting without a word, as OpenSSL's do. False on any failure.
    /// </summary>
    public static async Task<bool> HandshakesAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using Socket socket = await TcpConnector.ConnectAsync(host, port, timeout, deadline.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NetworkException or IOException or AuthenticationException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
