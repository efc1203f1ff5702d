using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Net;

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
        var inbox = new SocketInbox(socket);
        var clock = Stopwatch.StartNew();
        string? error = null;
        try
        {
            foreach (ReplayStep step in plan.Sends)
            {
                await WaitForAsync(inbox, step.RepliesBefore, replyTimeout, Settle, cancellationToken).ConfigureAwait(false);
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
            await WaitForAsync(inbox, plan.ExpectedReplies.Length, replyTimeout, replyTimeout, cancellationToken).ConfigureAwait(false);
            await WaitForQuietAsync(inbox, Settle, replyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message;
        }
        finally
        {
            await inbox.DisposeAsync().ConfigureAwait(false);
        }
        byte[] received = inbox.Peek();
        return new ReplayResult(received, StreamDifference.Compare(plan.ExpectedReplies, received), inbox.Closed, error ?? inbox.Error);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
            data = data[await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false)..];
    }

    /// <summary>Waits until at least <paramref name="count"/> bytes arrived, the peer closed, nothing came for <paramref name="idle"/>, or <paramref name="timeout"/> passed.</summary>
    private static async Task WaitForAsync(SocketInbox inbox, long count, TimeSpan timeout, TimeSpan idle, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (inbox.TotalReceived < count && !inbox.Closed)
        {
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await inbox.WaitForChangeAsync(left < idle ? left : idle, ct).ConfigureAwait(false))
                return;
        }
    }

    /// <summary>Waits until nothing arrived for <paramref name="quiet"/> (at most <paramref name="limit"/>).</summary>
    private static async Task WaitForQuietAsync(SocketInbox inbox, TimeSpan quiet, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!inbox.Closed && clock.Elapsed < limit && await inbox.WaitForChangeAsync(quiet, ct).ConfigureAwait(false))
        {
        }
    }
}
