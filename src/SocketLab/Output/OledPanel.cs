using System.Buffers;
using System.Threading.Channels;
using SocketLab.Board.Oled;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Text;
using SocketLab.Core.Udp;

namespace SocketLab.Cli.Output;

/// <summary>
/// The board's OLED as a live terminal panel for <c>--oled</c>. The socket thread only copies the
/// bytes; a panel thread decodes them per connection (split-safe), draws them as the seed's
/// program would (<see cref="BoardScreen"/>) and sends a shown frame to the terminal — only when
/// the screen changed, and at most every <see cref="RedrawInterval"/>, so a flood is coalesced.
/// Beyond <see cref="MaxPendingBytes"/> waiting, data is not drawn (and counted): the sockets never wait.
/// For UDP each datagram is decoded whole and drawn as the sibling tutorial's udp_server does.
/// </summary>
public sealed class OledPanel : IConnectionObserver, IUdpObserver, IAsyncDisposable
{
    public const long MaxPendingBytes = 1024 * 1024;
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(50);

    private readonly Channel<Chunk> _chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, StreamTextDecoder> _decoders = [];
    private readonly OledDisplay _oled;
    private readonly Func<OledDisplay, string, OledFrame>? _drawStream; // TCP text; null for UDP, whose screen needs the sender too
    private readonly ConsoleSink _sink;
    private readonly OledPanelView _view;
    private readonly DisplayOptions _options;
    private readonly Task _loop;
    private OledFrame? _drawn;
    private Action<OledDisplay>? _pendingDraw;
    private long _pendingBytes;
    private long _skipped;

    private OledPanel(ConsoleSink sink, OledPanelView view, OledDisplay oled, Func<OledDisplay, string, OledFrame>? drawStream)
    {
        _oled = oled;
        _sink = sink;
        _view = view;
        _drawStream = drawStream;
        _options = sink.Options;
        if (view.Note is { } note)
            sink.Error(note);
        if (view.Begin() is { } begin)
            sink.Terminal(begin);
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>tcpServer's screen: each message on the bottom line (post <see cref="BoardScreen.ServerWaiting"/> once listening).</summary>
    public static OledPanel ForServer(ConsoleSink sink, OledDisplay oled, OledPanelView? view = null) =>
        new(sink, view ?? OledPanelView.Choose(), oled, BoardScreen.ServerReceived);

    /// <summary>tcpClient's screen: cleared, then each message at the top.</summary>
    public static OledPanel ForClient(ConsoleSink sink, OledDisplay oled, OledPanelView? view = null) =>
        new(sink, view ?? OledPanelView.Choose(), oled, BoardScreen.ClientReceived);

    /// <summary>udp_server's screen: cleared, each datagram at (0,15) and "from" + ip at (0,31) (post <see cref="BoardScreen.UdpWaiting"/> once bound).</summary>
    public static OledPanel ForUdp(ConsoleSink sink, OledDisplay oled, OledPanelView? view = null) =>
        new(sink, view ?? OledPanelView.Choose(), oled, drawStream: null);

    /// <summary>
    /// Draws the program's start screen (<see cref="BoardScreen.ServerWaiting"/>, <see cref="BoardScreen.UdpWaiting"/>)
    /// with the "ip:port" the board would show: its own address; a PC may have several, the first one stands in.
    /// </summary>
    public void PostWaiting(Func<OledDisplay, string, OledFrame> screen, System.Net.IPEndPoint local)
    {
        string ipPort = EndpointText.ReachableHostPort(local);
        Post(o => screen(o, ipPort));
    }

    /// <summary>Runs a drawing step on the panel thread, in order with the received data (e.g. the server's start screen).</summary>
    public void Post(Action<OledDisplay> step) => _chunks.Writer.TryWrite(new Chunk(0, null, 0, step, null));

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) => Queue(connection.Id, data, from: null);

    /// <summary>Bytes of stream <paramref name="id"/> that are not a TCP connection (a serial port).</summary>
    public void OnReceived(long id, ReadOnlySpan<byte> data) => Queue(id, data, from: null);

    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) =>
        Queue(peer.Id, data, EndpointText.Plain(peer.EndPoint.Address).ToString());

    private void Queue(long id, ReadOnlySpan<byte> data, string? from)
    {
        if (Interlocked.Add(ref _pendingBytes, data.Length) > MaxPendingBytes)
        {
            Interlocked.Add(ref _pendingBytes, -data.Length);
            Interlocked.Increment(ref _skipped);
            return;
        }
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 1));
        data.CopyTo(copy);
        if (!_chunks.Writer.TryWrite(new Chunk(id, copy, data.Length, null, from)))
            Release(copy, data.Length);
    }

    public void OnClosed(TcpConnection connection, CloseReason reason, string? detail) =>
        _chunks.Writer.TryWrite(new Chunk(connection.Id, null, 0, null, null));

    private async Task RunAsync()
    {
        ChannelReader<Chunk> reader = _chunks.Reader;
        Redraw();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out Chunk chunk))
                Apply(chunk);
            DrawPending();
            Redraw();
            await Task.Delay(RedrawInterval).ConfigureAwait(false);
        }
        DrawPending();
        Redraw();
    }

    /// <summary>
    /// Decodes every chunk (the decoders need every byte) but only keeps the latest text: each
    /// seed screen replaces the previous message, and only the last frame of a batch is drawn anyway.
    /// </summary>
    private void Apply(Chunk chunk)
    {
        if (chunk.Step is not null)
        {
            DrawPending();
            chunk.Step(_oled);
            return;
        }
        if (chunk.From is { } from)
        {
            // A datagram is a whole message: decoded on its own, drawn even when empty, as udp_server does.
            var datagram = new StreamTextDecoder(_options.Encoding, _options.Invalid);
            string message = datagram.Decode(chunk.Buffer.AsSpan(0, chunk.Length)) + datagram.Flush();
            Release(chunk.Buffer!, chunk.Length);
            _pendingDraw = o => BoardScreen.UdpReceived(o, message, from);
            return;
        }
        string text;
        if (chunk.Buffer is null)
        {
            text = _decoders.Remove(chunk.ConnectionId, out StreamTextDecoder? closing) ? closing.Flush() : "";
        }
        else
        {
            if (!_decoders.TryGetValue(chunk.ConnectionId, out StreamTextDecoder? decoder))
                _decoders[chunk.ConnectionId] = decoder = new StreamTextDecoder(_options.Encoding, _options.Invalid);
            text = decoder.Decode(chunk.Buffer.AsSpan(0, chunk.Length));
            Release(chunk.Buffer, chunk.Length);
        }
        if (text.Length > 0 && _drawStream is { } draw)
            _pendingDraw = o => draw(o, text);
    }

    private void DrawPending()
    {
        if (_pendingDraw is null)
            return;
        _pendingDraw(_oled);
        _pendingDraw = null;
    }

    private void Redraw()
    {
        long skipped = Interlocked.Exchange(ref _skipped, 0);
        if (skipped > 0)
            _sink.Error($"OLED panel fell behind; {skipped} messages not drawn (echo unaffected)");
        OledFrame shown = _oled.Shown;
        if (_drawn is not null && shown.ContentEquals(_drawn))
            return;
        if (_drawn is null && ReferenceEquals(shown, OledFrame.Blank) && _view is OledPanelView.Inline)
            return; // Nothing shown yet: a pipe gets no empty screen.
        _drawn = shown;
        if (_view is not OledPanelView.Hidden)
            _sink.Terminal(_view.Frame(shown));
    }

    private void Release(byte[] buffer, int length)
    {
        Interlocked.Add(ref _pendingBytes, -length);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Draws what is still queued, then gives the terminal back. Dispose before the sink.</summary>
    public async ValueTask DisposeAsync()
    {
        _chunks.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_view.End() is { } end)
            _sink.Terminal(end);
    }

    /// <summary>Bytes received on a connection (a null buffer: it closed), a datagram (with the sender's IP), or a drawing step.</summary>
    private readonly record struct Chunk(long ConnectionId, byte[]? Buffer, int Length, Action<OledDisplay>? Step, string? From);
}
