using System.Globalization;
using SocketLab.Core.Net;
using SocketLab.Core.Tcp;
using SocketLab.Core.Udp;

namespace SocketLab.Core.Capture;

/// <summary>
/// Saves what peers send, byte-exact and as it arrives, straight to disk — not through any log, so a
/// large receive costs no memory: into one file, or (<see cref="PerConnection"/>) one file per TCP
/// connection in a folder, named <c>ID-ADDRESS_PORT.bin</c>. Each chunk is written before the call
/// returns, so the file can be read (downloaded) while it grows. A failed write (disk full) stops the
/// saving, raises <see cref="Failed"/> once and keeps <see cref="Failure"/>; the connections go on.
/// </summary>
public sealed class ReceivedFiles : IConnectionObserver, IUdpObserver, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, FileStream> _perConnection = [];
    private FileStream? _single;
    private bool _closed;

    /// <summary>Opens (appends to) <paramref name="path"/>, or creates the folder <paramref name="path"/> when <paramref name="perConnection"/>. Throws IOException/UnauthorizedAccessException.</summary>
    public ReceivedFiles(string path, bool perConnection = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        PerConnection = perConnection;
        if (perConnection)
            Directory.CreateDirectory(Path);
        else
            _single = Open(Path);
    }

    public string Path { get; }
    public bool PerConnection { get; }

    /// <summary>Bytes written so far, over every file.</summary>
    public long BytesSaved => Interlocked.Read(ref _bytes);
    private long _bytes;

    /// <summary>Why saving stopped, once a write failed.</summary>
    public string? Failure { get; private set; }

    /// <summary>Raised once, with one line saying what could not be written.</summary>
    public event Action<string>? Failed;

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data) => Write(connection.Id, connection.RemoteEndPoint, data);

    public void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        lock (_lock)
        {
            if (_perConnection.Remove(connection.Id, out FileStream? file))
                file.Dispose();
        }
    }

    public void OnReceived(UdpEndpoint endpoint, UdpPeer peer, ReadOnlySpan<byte> data) => Write(0, peer.EndPoint, data);

    /// <summary>Bytes of a stream that has no address (a serial port): file 0 of a per-connection folder, or the one file.</summary>
    public void OnReceived(ReadOnlySpan<byte> data) => Write(0, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0), data);

    private void Write(long id, System.Net.IPEndPoint peer, ReadOnlySpan<byte> data)
    {
        string? failed = null;
        lock (_lock)
        {
            if (_closed || Failure is not null)
                return;
            string target = Path;
            try
            {
                FileStream file;
                if (!PerConnection)
                    file = _single!;
                else if (!_perConnection.TryGetValue(id, out file!))
                {
                    string name = $"{id.ToString(CultureInfo.InvariantCulture)}-{EndpointText.Plain(peer.Address)}_{peer.Port}.bin".Replace(':', '_');
                    target = System.IO.Path.Combine(Path, name);
                    _perConnection[id] = file = Open(target);
                }
                target = file.Name;
                file.Write(data);
                Interlocked.Add(ref _bytes, data.Length);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failure = ex.Message;
                failed = $"saving stopped: cannot write '{target}': {ex.Message}";
                CloseAll();
            }
        }
        if (failed is not null)
            Failed?.Invoke(failed);
    }

    // No buffering: each chunk reaches the file before the receive loop goes on, so a reader sees it at once.
    private static FileStream Open(string path) => new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);

    private void CloseAll()
    {
        foreach (FileStream f in _perConnection.Values)
            try { f.Dispose(); } catch (IOException) { }
        _perConnection.Clear();
        try { _single?.Dispose(); } catch (IOException) { }
        _single = null;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            CloseAll();
        }
    }
}
