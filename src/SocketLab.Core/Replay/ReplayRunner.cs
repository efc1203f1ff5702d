using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace SocketLab.Core.Replay;

/// <summary>What came back when a plan was replayed.</summary>
public sealed record ReplayResult(byte[] Received, StreamDifference? Difference, bool PeerClosed, string? Error);

/// <summary>
/// Plays a <see cref="ReplayPlan"/> over a connected socket: each send goes at its recorded time
/// (divided by the speed), but not before the replies recorded ahead of it have come back, so a
/// slower server is still compared fairly. That wait also ends when nothing arrived for
/// <see cref="Settle"/>: a transcript may list a reply just before the send that caused it (the
/// send is logged once the kernel took it, and the reply can be read first), and waiting for it
/// would only stall.
/// </summary>
public static class ReplayRunner
{
    /// <summary>After the last expected byte, extra bytes are awaited this long before comparing.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>Replays <paramref name="plan"/>; a speed of 2 is twice as fast as recorded, 0 means no pauses at all.</summary>
    public static async Task<ReplayResult> RunAsync(ReplayPlan plan, Socket socket, double speed, TimeSpan replyTimeout, CancellationToken cancellationToken = default)
    {
        var inbox = new Inbox();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reader = ReadAsync(socket, inbox, stopReading.Token);
        var clock = Stopwatch.StartNew();
        string? error = null;
        try
        {
            foreach (ReplayStep step in plan.Sends)
            {
                await inbox.WaitForAsync(step.RepliesBefore, replyTimeout, Settle, cancellationToken).ConfigureAwait(false);
                if (speed > 0)
                {
                    TimeSpan due = step.At / speed - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                        await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
                if (inbox.Closed)
                    break; // The server hung up: what it sent so far is what gets compared.
                await SendAllAsync(socket, step.Data, cancellationToken).ConfigureAwait(false);
            }
            await inbox.WaitForAsync(plan.ExpectedReplies.Length, replyTimeout, replyTimeout, cancellationToken).ConfigureAwait(false);
            await inbox.WaitForQuietAsync(Settle, replyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message;
        }
        finally
        {
            stopReading.Cancel();
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            await reader.ConfigureAwait(false);
        }
        byte[] received = inbox.Snapshot();
        return new ReplayResult(received, StreamDifference.Compare(plan.ExpectedReplies, received), inbox.Closed, error ?? inbox.Error);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
            data = data[await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false)..];
    }

    private static async Task ReadAsync(Socket socket, Inbox inbox, CancellationToken ct)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                    break;
                inbox.Add(buffer.AsSpan(0, n));
            }
            inbox.Close(null);
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (SocketException ex)
        {
            inbox.Close(ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message);
        }
    }

    /// <summary>The received byte stream, with a way to wait for it to grow.</summary>
    private sealed class Inbox
    {
        private readonly Lock _lock = new();
        private readonly ArrayBufferWriter<byte> _bytes = new();
        private readonly SemaphoreSlim _changed = new(0);

        public bool Closed { get; private set; }
        public string? Error { get; private set; }

        private long Count { get { lock (_lock) return _bytes.WrittenCount; } }

        public void Add(ReadOnlySpan<byte> data)
        {
            lock (_lock)
                _bytes.Write(data);
            _changed.Release();
        }

        public void Close(string? error)
        {
            Error = error;
            Closed = true;
            _changed.Release();
        }

        public byte[] Snapshot()
        {
            lock (_lock)
                return _bytes.WrittenSpan.ToArray();
        }

        /// <summary>Waits until at least <paramref name="count"/> bytes arrived, the peer closed, nothing came for <paramref name="idle"/>, or <paramref name="timeout"/> passed.</summary>
        public async Task WaitForAsync(long count, TimeSpan timeout, TimeSpan idle, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            while (Count < count && !Closed)
            {
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    return;
                if (!await _changed.WaitAsync(left < idle ? left : idle, ct).ConfigureAwait(false))
                    return;
            }
        }

        /// <summary>Waits until nothing arrived for <paramref name="quiet"/> (at most <paramref name="limit"/>).</summary>
        public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan limit, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            while (!Closed && clock.Elapsed < limit && await _changed.WaitAsync(quiet, ct).ConfigureAwait(false))
            {
            }
        }
    }
}
