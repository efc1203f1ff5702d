using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketLab.Core.Net;
using SocketLab.Core.Replay;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab replay FILE --listen [ADDR:]PORT</c>: plays the recorded server's (device's) side for the clients that
/// connect, each from the start on its own, at the same time as the others. By default one client, then exit (the
/// listener closes once it connected, so a second is refused); <c>--clients N</c> serves N; <c>--keep-open</c> serves
/// clients until Ctrl+C, as ncat's --keep-open and socat's fork do.
/// </summary>
internal static class ReplayListener
{
    /// <summary>
    /// <paramref name="Clients"/>: how many to serve, null until Ctrl+C. <paramref name="AcceptTimeout"/>: give up when no
    /// client connected within it while none is being served (null: wait for ever). <paramref name="Tagged"/>: each
    /// client's lines start with its number and address, and its verdict is one line.
    /// </summary>
    public sealed record Settings(double Speed, TimeSpan Timeout, TimeSpan? AcceptTimeout, int? Clients, bool Tagged, Encoding Encoding);

    private enum Verdict { Matched, Differed, Interrupted }

    private sealed record Tally(int Matched, int Differed, int Interrupted)
    {
        public Tally With(Verdict v) => v switch
        {
            Verdict.Matched => this with { Matched = Matched + 1 },
            Verdict.Differed => this with { Differed = Differed + 1 },
            _ => this with { Interrupted = Interrupted + 1 },
        };

        public override string ToString() =>
            $"{Matched + Differed + Interrupted} client{(Matched + Differed + Interrupted == 1 ? "" : "s")}: {Matched} matched, {Differed} differed{(Interrupted > 0 ? $", {Interrupted} interrupted" : "")}";
    }

    public static async Task<int> RunAsync(ReplayPlan plan, IPEndPoint local, Settings s, Termination termination)
    {
        Socket? listener;
        try
        {
            listener = ListenSocket.Open(local, backlog: s.Clients == 1 ? 1 : 512);
        }
        catch (NetworkException ex)
        {
            throw NetworkErrorText.Failure(ex, ListenHint.Listen);
        }
        string where = EndpointText.ReachableHostPort((IPEndPoint)listener.LocalEndPoint!);
        string waiting = s.Clients switch
        {
            null => $"clients on {where}, each getting its own replay, until Ctrl+C",
            1 => $"a client on {where}",
            int n => $"{n} clients on {where}, each getting its own replay",
        };
        Console.Error.WriteLine($"socketlab: playing the server's side of connection {plan.Connection} ({plan.Role}): {plan.SendCount} sends, {plan.SendBytes} bytes; waiting for {waiting}");

        CancellationToken stop = termination.Token;
        var serving = new List<Task<Verdict>>();
        var tally = new Tally(0, 0, 0);
        Task<Socket>? accepting = null;
        long accepted = 0;
        bool timedOut = false;
        try
        {
            while (true)
            {
                if (listener is not null)
                    accepting ??= listener.AcceptAsync(stop).AsTask();
                var waits = new List<Task>(serving);
                if (accepting is not null)
                    waits.Add(accepting);
                // The wait for a client is timed only while none is being served: a long replay is not a client that never came.
                Task? idle = accepting is not null && serving.Count == 0 && s.AcceptTimeout is { } limit ? Task.Delay(limit, stop) : null;
                if (idle is not null)
                    waits.Add(idle);
                if (waits.Count == 0)
                    break;
                Task done = await Task.WhenAny(waits).ConfigureAwait(false);
                if (done == idle)
                {
                    CloseListener(ref listener, ref accepting);
                    if (idle.IsCanceled)
                        continue; // Ctrl+C: the clients being served end too.
                    timedOut = true;
                    Console.Error.WriteLine($"socketlab replay: no client connected to {where} within {s.AcceptTimeout!.Value.TotalSeconds:0.###} s (--connect-timeout)");
                    continue;
                }
                if (done == accepting)
                {
                    accepting = null;
                    Socket socket;
                    try
                    {
                        socket = await ((Task<Socket>)done).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        CloseListener(ref listener, ref accepting);
                        continue;
                    }
                    catch (SocketException ex)
                    {
                        // Out of file descriptors and the like: the next client may fare better.
                        Console.Error.WriteLine($"socketlab replay: cannot accept a client on {where}: {ex.Message}");
                        await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                        continue;
                    }
                    long id = ++accepted;
                    serving.Add(Task.Run(() => ServeAsync(plan, socket, id, s, stop)));
                    if (accepted == s.Clients)
                        CloseListener(ref listener, ref accepting);
                    continue;
                }
                var finished = (Task<Verdict>)done;
                serving.Remove(finished);
                tally = tally.With(await finished.ConfigureAwait(false));
            }
        }
        finally
        {
            listener?.Dispose();
        }

        if (s.Tagged)
            Console.Error.WriteLine($"socketlab: {(stop.IsCancellationRequested ? "stopped; " : "")}{tally}");
        if (timedOut)
            return ExitCodes.TimedOut;
        // One client or --clients N stopped before the end: interrupted; --keep-open ends with Ctrl+C.
        if (s.Clients is not null && stop.IsCancellationRequested)
        {
            if (!s.Tagged && accepted == 0)
                Console.Error.WriteLine("socketlab: replay interrupted");
            return ExitCodes.Interrupted;
        }
        return tally.Differed > 0 ? ExitCodes.ExpectationFailed : ExitCodes.Ok;
    }

    private static void CloseListener(ref Socket? listener, ref Task<Socket>? accepting)
    {
        listener?.Dispose();
        listener = null;
        accepting = null;
    }

    /// <summary>Plays the whole recorded side for one client and reports how its bytes compared.</summary>
    private static async Task<Verdict> ServeAsync(ReplayPlan plan, Socket socket, long id, Settings s, CancellationToken stop)
    {
        using (socket)
        {
            string who = EndpointText.HostPort((IPEndPoint)socket.RemoteEndPoint!);
            string tag = s.Tagged ? $"#{id} {who}: " : "";
            Console.Error.WriteLine(s.Tagged ? $"socketlab: #{id} {who} connected" : $"socketlab: client {who} connected");
            socket.NoDelay = true;
            ReplayResult result;
            try
            {
                result = await ReplayRunner.RunAsync(plan, socket, s.Speed, s.Timeout, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"socketlab: {tag}replay interrupted");
                return Verdict.Interrupted;
            }
            List<string> report = ReplayReport.Lines(plan, result, s.Encoding, ReplayReport.ClientBytes);
            if (s.Tagged)
                Console.WriteLine(tag + string.Join("; ", report)); // One line per client: concurrent clients never interleave.
            else
                ReplayReport.Print(report);
            return result.Difference is null ? Verdict.Matched : Verdict.Differed;
        }
    }
}
