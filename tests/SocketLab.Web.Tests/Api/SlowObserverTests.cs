using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using SocketLab.Web.Tests.Infrastructure;

namespace SocketLab.Web.Tests.Api;

/// <summary>
/// The page's work on received data (decoding, the log, the OLED, auto-reply rules with the user's regexes) must
/// not hold up other connections: here one client's messages cost 200 ms of regex time each.
/// </summary>
public sealed class SlowObserverTests
{
    [Fact]
    public async Task A_rule_that_takes_200_ms_on_one_client_does_not_delay_another_clients_echo()
    {
        await using UiServer ui = await UiServer.StartAsync();
        (string id, int port) = await ui.StartTcpServerAsync(echo: true);
        // Catastrophic backtracking on a run of a's without the end: each rule runs into its 50 ms match timeout.
        object slow = new { match = "regex", pattern = "^(a+)+$", reply = "never" };
        using HttpResponseMessage put = await ui.Http.PutAsJsonAsync($"/api/sessions/{id}/rules", new[] { slow, slow, slow, slow });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        using TcpClient slowPeer = await Wire.ConnectAsync(port);
        TcpClient[] others = [await Wire.ConnectAsync(port), await Wire.ConnectAsync(port), await Wire.ConnectAsync(port)];
        try
        {
            using var stop = new CancellationTokenSource();
            byte[] costly = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"u8.ToArray();
            var slowWork = Stopwatch.StartNew();
            long slowSent = 0;
            Task flooding = Task.Run(async () =>
            {
                NetworkStream s = slowPeer.GetStream();
                byte[] sink = new byte[4096];
                while (!stop.IsCancellationRequested)
                {
                    await s.WriteAsync(costly);
                    await s.ReadExactlyAsync(sink.AsMemory(0, costly.Length)); // its echo: one message at a time, each one slow
                    slowSent++;
                }
            });
            await Task.Delay(300); // The slow client is being served.

            var medians = new List<double>();
            foreach (TcpClient other in others)
            {
                NetworkStream s = other.GetStream();
                var times = new List<double>();
                for (int i = 0; i < 9; i++)
                {
                    byte[] ping = [(byte)'p', (byte)('0' + i)];
                    var rtt = Stopwatch.StartNew();
                    await s.WriteAsync(ping);
                    Assert.Equal(ping, await s.ReadExactlyAsync(2));
                    times.Add(rtt.Elapsed.TotalMilliseconds);
                    await Task.Delay(20);
                }
                times.Sort();
                medians.Add(times[times.Count / 2]);
            }
            stop.Cancel();
            await flooding.WaitAsync(TimeSpan.FromSeconds(10));

            // The slow client really was slow: at most one message per 200 ms of rules.
            Assert.InRange(slowSent, 1, slowWork.Elapsed.TotalMilliseconds / 150);
            Assert.True(medians.Max() < 60, $"median echo round trips of the other clients: {string.Join(", ", medians.Select(m => $"{m:0.0} ms"))}");
        }
        finally
        {
            foreach (TcpClient other in others)
                other.Dispose();
        }
    }
}
