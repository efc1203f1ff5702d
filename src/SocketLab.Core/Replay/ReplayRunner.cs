using System.Diagnostics;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Replay;

/// <summary>
/// What came back when a plan was replayed: how many bytes, where they first differ from the recording
/// (null: they match), up to 32 bytes of each stream from there, and the recorded chunk it falls in.
/// </summary>
public sealed record ReplayResult(
    long ReceivedLength, StreamDifference? Difference, byte[] ExpectedExcerpt, byte[] ReceivedExcerpt, ReplyChunk? Chunk, bool PeerClosed, string? Error);

/// <summary>
/// Plays a <see cref="ReplayPlan"/> over a connected socket: each send goes at its recorded time
/// (divided by the speed), but not before the replies recorded ahead of it have come back, so a
/// slower server is still compared fairly. That wait also ends when nothing arrived for
/// <see cref="Settle"/>: a transcript may list a reply just before the send that caused it (the
/// send is logged once the kernel took it, and the reply can be read first), and waiting for it
/// would only stall. The plan is read as a stream and the replies compared as they come, so
/// memory does not grow with the transcript. It plays either end (<see cref="ReplayPlan.Side"/>): for the
/// device's side the "server" here is the client that connected, and its sends are the ones compared.
/// </summary>
public static class ReplayRunner
{
    /// <summary>After the last expected byte, extra bytes are awaited this long before comparing.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>Replays <paramref name="plan"/>; a speed of 2 is twice as fast as recorded, 0 means no pauses at all.</summary>
    public static async Task<ReplayResult> RunAsync(ReplayPlan plan, Socket socket, double speed, TimeSpan replyTimeout, CancellationToken cancellationToken = default)
    {
        var inbox = new SocketInbox(socket);
        var comparison = new ReplayComparison(plan.ExpectedLength);
        var clock = Stopwatch.StartNew();
        string? error = null;
        using IEnumerator<ReplayItem> items = plan.Items().GetEnumerator();
        try
        {
            while (items.MoveNext())
            {
                if (items.Current is ReplyChunk chunk)
                {
                    comparison.Expect(chunk);
                    comparison.Take(inbox);
                    continue;
                }
                var step = (ReplayStep)items.Current;
                await WaitForAsync(inbox, comparison, step.RepliesBefore, replyTimeout, Settle, cancellationToken).ConfigureAwait(false);
                if (speed > 0)
                {
                    TimeSpan due = step.At / speed - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                        await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
                // The server hung up: what it sent so far is what gets compared. A client's FIN is different:
                // it is done sending (a half-close) and still reads, as it did when the server answered it.
                if (inbox.Closed && plan.Side == ReplaySide.Client)
                    break;
                await SendAllAsync(socket, step.Data, cancellationToken).ConfigureAwait(false);
            }
            await WaitForAsync(inbox, comparison, plan.ExpectedLength, replyTimeout, replyTimeout, cancellationToken).ConfigureAwait(false);
            await WaitForQuietAsync(inbox, comparison, Settle, replyTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode == SocketError.ConnectionReset ? "connection reset by peer" : ex.Message;
        }
        finally
        {
            await inbox.DisposeAsync().ConfigureAwait(false);
        }
        comparison.Take(inbox);
        // Recorded chunks not reached (the server hung up early): read on only as far as the report needs.
        while (comparison.WantsMore && items.MoveNext())
        {
            if (items.Current is ReplyChunk rest)
            {
                comparison.Expect(rest);
                comparison.Take(inbox);
            }
        }
        return comparison.Finish(inbox.TotalReceived, inbox.Closed, error ?? inbox.Error);
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
            data = data[await socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false)..];
    }

    /// <summary>Waits until at least <paramref name="count"/> bytes arrived, the peer closed, nothing came for <paramref name="idle"/>, or <paramref name="timeout"/> passed.</summary>
    private static async Task WaitForAsync(SocketInbox inbox, ReplayComparison comparison, long count, TimeSpan timeout, TimeSpan idle, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (inbox.TotalReceived < count && !inbox.Closed)
        {
            comparison.Take(inbox);
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await inbox.WaitForChangeAsync(left < idle ? left : idle, ct).ConfigureAwait(false))
                break;
        }
        comparison.Take(inbox);
    }

    /// <summary>Waits until nothing arrived for <paramref name="quiet"/> (at most <paramref name="limit"/>).</summary>
    private static async Task WaitForQuietAsync(SocketInbox inbox, ReplayComparison comparison, TimeSpan quiet, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!inbox.Closed && clock.Elapsed < limit && await inbox.WaitForChangeAsync(quiet, ct).ConfigureAwait(false))
            comparison.Take(inbox);
    }
}
