using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SocketLab.Web.Hosting;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Api;

/// <summary>
/// /ws: first a snapshot of every session (with its recent log), then live events, batched into JSON
/// arrays so a busy peer costs few frames. Messages from the page are only pings and are size-capped.
/// </summary>
public static class EventSocket
{
    private const int SnapshotLogLines = 1000;
    private const int MaxBatchBytes = 256 * 1024;

    public static async Task RunAsync(HttpContext http, SessionManager sessions, EventHub hub, UiHostOptions options, CancellationToken stopping)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        EventHub.Subscriber subscriber = hub.Subscribe();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            // Subscribed before the snapshot: an event may arrive twice, never be lost; the page dedupes by seq.
            byte[] hello = JsonSerializer.SerializeToUtf8Bytes([new HelloEvent([.. sessions.All.Select(s => SessionView.Of(s, SnapshotLogLines))])], Json.Info<HelloEvent[]>());
            await socket.SendAsync(hello, WebSocketMessageType.Text, true, done.Token).ConfigureAwait(false);
            Task reading = ReadAsync(socket, options.MaxWebSocketMessageBytes, done);
            await WriteAsync(socket, subscriber, done.Token).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
        finally
        {
            hub.Unsubscribe(subscriber);
        }
    }

    private static async Task WriteAsync(WebSocket socket, EventHub.Subscriber subscriber, CancellationToken ct)
    {
        var batch = new MemoryStream();
        while (await subscriber.Queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (subscriber.Overflowed)
            {
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too far behind; reload", ct).ConfigureAwait(false);
                return;
            }
            batch.SetLength(0);
            batch.WriteByte((byte)'[');
            bool first = true;
            while (batch.Length < MaxBatchBytes && subscriber.Queue.Reader.TryRead(out byte[]? evt))
            {
                subscriber.Taken(evt);
                if (!first)
                    batch.WriteByte((byte)',');
                batch.Write(evt);
                first = false;
            }
            batch.WriteByte((byte)']');
            await socket.SendAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            // A few ms of coalescing keeps a flood of small events to a few frames.
            await Task.Delay(15, ct).ConfigureAwait(false);
        }
    }

    private static async Task ReadAsync(WebSocket socket, int maxMessage, CancellationTokenSource done)
    {
        byte[] buffer = new byte[maxMessage];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                int total = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (total == buffer.Length)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {maxMessage} bytes", CancellationToken.None).ConfigureAwait(false);
                        return;
                    }
                    r = await socket.ReceiveAsync(buffer.AsMemory(total), done.Token).ConfigureAwait(false);
                    total += r.Count;
                }
                while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
                if (r.MessageType == WebSocketMessageType.Close)
                    return;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
        }
    }
}
