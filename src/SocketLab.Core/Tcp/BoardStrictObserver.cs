using System.Collections.Concurrent;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tcp;

/// <summary>
/// Board-strict notices: what the seed's <c>recv(1024)</c> + <c>data.decode()</c> would make of each
/// read, said in the log. Reads must be at most 1024 bytes (the connection's receive buffer), so each
/// is one of the board's pieces (<see cref="TcpConnectionOptions.ReceiveBufferSize"/> = <see cref="PythonBytes.BoardRecvSize"/>).
/// SocketLab itself goes on and echoes every byte unchanged. <paramref name="notice"/> gets each line
/// ("board: #ID …") on the socket thread, in order with that connection's data.
/// </summary>
public sealed class BoardStrictObserver(Action<string> notice) : IConnectionObserver
{
    private readonly ConcurrentDictionary<long, PieceRun> _runs = new();

    public void OnReceived(TcpConnection connection, ReadOnlySpan<byte> data)
    {
        PieceRun run = _runs.GetOrAdd(connection.Id, _ => new PieceRun());
        run.Pieces++;
        run.Bytes += data.Length;
        if (!run.DecodeFailed)
        {
            Utf8PieceKind kind = Utf8Piece.Classify(data);
            if (kind != Utf8PieceKind.Valid)
            {
                run.DecodeFailed = true;
                notice($"board: #{connection.Id} {(kind == Utf8PieceKind.SplitAtEnd ? $"piece {run.Pieces} of this message ends inside a UTF-8 character" : "this data is not UTF-8 (GBK? MicroPython has no GBK codec)")}: " +
                    "on the board data.decode() raises UnicodeError, the bare except closes the socket and disconnects Wi-Fi, and the program ends (SocketLab goes on)");
            }
        }
        if (data.Length < PythonBytes.BoardRecvSize)
            EndRun(connection.Id, run);
    }

    public void OnClosed(TcpConnection connection, CloseReason reason, string? detail)
    {
        if (_runs.TryRemove(connection.Id, out PieceRun? run))
            EndRun(connection.Id, run);
    }

    /// <summary>A message that filled recv(1024) at least once reached the board in pieces: say how many.</summary>
    private void EndRun(long id, PieceRun run)
    {
        if (run.Pieces > 1)
            notice($"board: #{id} this message ({run.Bytes} bytes) reaches the board's recv(1024) in {run.Pieces} pieces: it prints and draws each in turn, and its OLED ends on the last");
        run.Pieces = 0;
        run.Bytes = 0;
    }

    /// <summary>Reads of one message so far: full 1024-byte reads, then the shorter one that ends it.</summary>
    private sealed class PieceRun
    {
        public int Pieces { get; set; }
        public long Bytes { get; set; }
        public bool DecodeFailed { get; set; }
    }
}
