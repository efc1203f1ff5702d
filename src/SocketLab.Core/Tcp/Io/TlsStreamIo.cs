using System.Net.Security;
using System.Net.Sockets;
using SocketLab.Core.Tls;

namespace SocketLab.Core.Tcp;

/// <summary>
/// TLS through an <see cref="SslStream"/> over a blocking socket (NetworkStream requires one). A client hands
/// in its authenticated stream; a server's connection gets one from <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class TlsStreamIo : ConnectionIo
{
    private Stream? _stream;

    public TlsStreamIo(Socket socket, Stream? stream) : base(socket) => _stream = stream;

    public override bool CanTryNow => false;
    public override bool IsTls => true;

    private Stream Stream => _stream ?? throw new InvalidOperationException("the TLS handshake has not completed");

    /// <summary>The server's handshake; null when it succeeded, else why it failed.</summary>
    public Task<string?> AcceptAsync(TlsServerOptions options, CancellationToken ct) =>
        TlsHandshake.AcceptAsync(Socket, options, ct, s => _stream = s);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) => Stream.ReadAsync(buffer, ct);

    public override async ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await Stream.WriteAsync(data, ct).ConfigureAwait(false);
        return data.Length;
    }

    public override Task CloseNotifyAsync(TimeSpan timeout) =>
        _stream is SslStream ssl ? ssl.ShutdownAsync().WaitAsync(timeout) : Task.CompletedTask;

    public override void Dispose()
    {
        _stream?.Dispose();
        base.Dispose();
    }
}
