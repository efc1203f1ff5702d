using System.IO.Ports;
using System.Runtime.InteropServices;

namespace SocketLab.Core.Serial;

/// <summary>
/// An open serial port as a byte stream: one read loop reporting what arrives, sends serialised
/// (writes of several senders never interleave inside a chunk), and a port that vanishes
/// (USB unplugged) reported once as <see cref="SerialCloseReason.Lost"/>, never as an exception.
/// </summary>
public sealed partial class SerialLink : IAsyncDisposable
{
    private readonly SerialPort _port;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly PortLock _lock;
    private int _closing;
    private string? _readError;
    private long _bytesIn;
    private long _bytesOut;

    private SerialLink(SerialSettings settings, SerialPort port, PortLock portLock)
    {
        _lock = portLock;
        Settings = settings;
        _port = port;
        _stream = port.BaseStream;
    }

    public SerialSettings Settings { get; }
    public string Port => Settings.Port;
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Opens the port with <paramref name="settings"/>; failures are <see cref="SerialPortException"/>s saying what to do.</summary>
    public static SerialLink Open(SerialSettings settings)
    {
        string name = settings.Port;
        if (!OperatingSystem.IsWindows() && !File.Exists(name))
            throw new SerialPortException(SerialErrorKind.Missing, $"no such serial port '{name}' (not plugged in? 'socketlab serial list' shows the ports there are)");
        var port = new SerialPort(name, settings.Baud, settings.Parity, settings.DataBits, settings.StopBits)
        {
            Handshake = settings.Flow switch
            {
                SerialFlow.RtsCts => Handshake.RequestToSend,
                SerialFlow.XonXoff => Handshake.XOnXOff,
                _ => Handshake.None,
            },
            ReadBufferSize = 64 * 1024,
            WriteBufferSize = 64 * 1024,
        };
        if (PortLock.TryTake(name, out _) is not { } portLock)
        {
            port.Dispose();
            throw Busy(name, null);
        }
        try
        {
            port.Open();
            return new SerialLink(settings, port, portLock);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            portLock.Dispose();
            throw Classify(name, ex);
        }
    }

    private static SerialPortException Classify(string name, Exception ex)
    {
        if (!OperatingSystem.IsWindows() && !IsDevice(name))
            return new SerialPortException(SerialErrorKind.NotSerial, $"'{name}' is not a serial port (not a device under /dev)", ex);
        if (ex is UnauthorizedAccessException)
        {
            // .NET says "access denied" both when this user may not open the device and when another
            // program holds it exclusively; the file's permissions tell the two apart.
            if (!OperatingSystem.IsWindows() && !CanReadWrite(name))
                return new SerialPortException(SerialErrorKind.PermissionDenied,
                    $"permission denied on '{name}': add your user to the port's group (usually dialout: sudo usermod -aG dialout $USER, then log out and in again)", ex);
            return Busy(name, ex);
        }
        if (ex is FileNotFoundException or DirectoryNotFoundException)
            return new SerialPortException(SerialErrorKind.Missing, $"no such serial port '{name}' (not plugged in? 'socketlab serial list' shows the ports there are)", ex);
        return new SerialPortException(SerialErrorKind.NotSerial, $"cannot open '{name}' as a serial port: {ex.Message.ReplaceLineEndings(" ")}", ex);
    }

    private static SerialPortException Busy(string name, Exception? ex)
    {
        string who = PortHolders.Describe(name) is { } holders ? $" ({holders})" : " (a terminal program, ModemManager, another socketlab?)";
        return new SerialPortException(SerialErrorKind.Busy, $"serial port '{name}' is busy: another program has it open{who}", ex);
    }

    private static bool IsDevice(string path)
    {
        try
        {
            string real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
            return real.StartsWith("/dev/", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool CanReadWrite(string path) => Access(path, 6 /* R_OK | W_OK */) == 0;

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    /// <summary>
    /// Reads until the port is closed here or goes away, reporting each chunk; ends with one
    /// <see cref="ISerialObserver.OnClosed"/>. <paramref name="stop"/> closes the port.
    /// </summary>
    public async Task<SerialCloseReason> RunAsync(ISerialObserver observer, CancellationToken stop = default)
    {
        byte[] buffer = new byte[64 * 1024];
        using (stop.Register(Close))
        {
            int n;
            while ((n = await ReadAsync(buffer).ConfigureAwait(false)) > 0)
                observer.OnReceived(this, buffer.AsSpan(0, n));
        }
        (SerialCloseReason reason, string? detail) = End();
        observer.OnClosed(this, reason, detail);
        return reason;
    }

    /// <summary>
    /// The next bytes from the port; 0 once it was closed here or went away, and then <see cref="End"/> says which.
    /// For a caller that forwards the bytes itself (the bridge); <see cref="RunAsync"/> is the loop with an observer.
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        int n;
        try
        {
            n = await _stream.ReadAsync(buffer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or UnauthorizedAccessException)
        {
            _readError ??= ex is OperationCanceledException or ObjectDisposedException ? null : ex.Message.ReplaceLineEndings(" ");
            n = 0;
        }
        Interlocked.Add(ref _bytesIn, n);
        return n;
    }

    /// <summary>After <see cref="ReadAsync"/> returned 0: whether the port was closed here or went away, in words; closes the port.</summary>
    public (SerialCloseReason Reason, string? Detail) End()
    {
        SerialCloseReason reason = Volatile.Read(ref _closing) != 0 ? SerialCloseReason.LocalClosed : SerialCloseReason.Lost;
        Close();
        return reason == SerialCloseReason.Lost
            ? (reason, $"serial port '{Port}' went away (unplugged?){(_readError is null ? "" : $": {_readError}")}")
            : (reason, null);
    }

    /// <summary>Writes all of <paramref name="data"/> before any other send starts; reports it to <paramref name="observer"/> once written.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, ISerialObserver? observer = null, CancellationToken ct = default)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, ct).ConfigureAwait(false);
            Interlocked.Add(ref _bytesOut, data.Length);
            observer?.OnSent(this, data.Span);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes the port; the read loop then ends with <see cref="SerialCloseReason.LocalClosed"/>.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
            return;
        try
        {
            _port.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // Already gone (unplugged): nothing left to close.
        }
        _lock.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _port.Dispose();
        _lock.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
