using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;
using static SocketLab.Tests.Infrastructure.OledPanelReader;

namespace SocketLab.Tests.Commands;

/// <summary>
/// <c>--oled</c> on server and client, as real processes on loopback. Their stdout is a pipe,
/// so the panel is printed as a block of lines each time the screen changes.
/// </summary>
public class OledPanelTests
{
    [Fact]
    public async Task Server_panel_shows_its_address_then_each_message_on_the_bottom_line()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--oled");
        int port = await server.WaitForPortAsync();

        string[] waiting = await WaitForPanelAsync(server, panel => AnyInk(panel, 0, 8));
        Assert.True(AnyInk(waiting, 8, 8));    // accepting..... at y 16
        Assert.False(AnyInk(waiting, 16, 16)); // nothing below y 32 yet

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        byte[] message = Encoding.UTF8.GetBytes("你好，掌控板");
        // Split inside a character: the panel must still draw it whole.
        await stream.WriteAsync(message.AsMemory(0, 4));
        await Task.Delay(200);
        await stream.WriteAsync(message.AsMemory(4));

        var echo = new byte[message.Length];
        await stream.ReadExactlyAsync(echo);
        Assert.Equal(message, echo);

        string[] shown = await WaitForPanelAsync(server, panel => AnyInk(panel, 24, 8));
        Assert.Equal(waiting[..16], shown[..16]);                     // the top half is unchanged
        Assert.All(shown[24..32], l => Assert.Equal(new string(' ', 57), l[71..])); // 71 px of text, nothing after
        Assert.DoesNotContain("\\x", server.Stdout);                  // no invalid-byte escapes were drawn or printed
    }

    [Fact]
    public async Task A_flood_is_echoed_byte_exact_and_the_panel_redraws_at_most_every_50_ms()
    {
        await using CliProcess server = CliProcess.Start("server", "--port", "0", "--bind", "127.0.0.1", "--oled", "--quiet");
        int port = await server.WaitForPortAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();

        const int messages = 2000;
        byte[][] sent = Enumerable.Range(0, messages).Select(i => Encoding.UTF8.GetBytes($"消息 {i:D5} " + new string('x', 1000))).ToArray();
        long total = sent.Sum(m => (long)m.Length);
        var started = DateTime.UtcNow;
        Task<byte[]> echo = Task.Run(async () =>
        {
            var received = new byte[total];
            await stream.ReadExactlyAsync(received);
            return received;
        });
        foreach (byte[] m in sent)
            await stream.WriteAsync(m);
        byte[] back = await echo.WaitAsync(TimeSpan.FromSeconds(60));
        TimeSpan elapsed = DateTime.UtcNow - started;

        Assert.Equal(sent.SelectMany(m => m).ToArray(), back);
        await WaitForPanelAsync(server, panel => AnyInk(panel, 24, 8));
        await Task.Delay(300); // the last redraw
        int frames = Panels(server).Count;
        // One frame is right when the whole flood fits in one 50 ms window (a fast run); more may not come faster.
        Assert.InRange(frames, 1, 2 + (int)((elapsed.TotalMilliseconds + 300) / 50));
        Assert.True(frames < messages / 4, $"{frames} frames for {messages} messages: redraws were not coalesced");
    }

    [Fact]
    public async Task Client_panel_clears_and_shows_each_message_at_the_top()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using CliProcess cli = CliProcess.Start("client", "127.0.0.1", port.ToString(), "--oled");

        using TcpClient peer = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        NetworkStream stream = peer.GetStream();
        var greeting = new byte[29];
        await stream.ReadExactlyAsync(greeting);

        await stream.WriteAsync(Encoding.UTF8.GetBytes("hello mPython,I am TCP Client"));
        string[] first = await WaitForPanelAsync(cli, panel => AnyInk(panel, 0, 8));
        Assert.False(AnyInk(first, 8, 24));
        Assert.Contains(first[..8], l => l[120..].Trim().Length > 0); // the 20 characters that fit reach x 124

        await stream.WriteAsync("ok"u8.ToArray());
        string[] second = await WaitForPanelAsync(cli, panel => AnyInk(panel, 0, 8) && panel[..8].All(l => l[20..].Trim().Length == 0));
        Assert.False(AnyInk(second, 8, 24));

        peer.Client.Shutdown(SocketShutdown.Both);
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task In_a_terminal_the_panel_stays_on_top_and_the_terminal_is_given_back_on_exit()
    {
        // A real pseudo-terminal of 140x50 (util-linux script); the shell prints the server's pid so it can be stopped with SIGTERM.
        string command = $"stty cols 140 rows 50; export TERM=xterm; dotnet '{CliProcess.CliPath}' server --port 0 --bind 127.0.0.1 --oled & echo PID=$!; wait $!";
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "-qfec", command, "/dev/null" })
            psi.ArgumentList.Add(a);
        using Process script = Process.Start(psi)!;
        var output = new StringBuilder();
        Task pump = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await script.StandardOutput.ReadAsync(buffer)) > 0)
                lock (output) output.Append(buffer, 0, n);
        });
        string Text() { lock (output) return output.ToString(); }

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Match pid;
        while (!(pid = Regex.Match(Text(), @"PID=(\d+)")).Success || !Text().Contains("accepting.....") || !Text().Contains("\u001b8"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no panel in the terminal:\n{Text()}");
            await Task.Delay(100);
        }
        Process.Start("kill", ["-TERM", pid.Groups[1].Value])!.WaitForExit();
        Assert.True(script.WaitForExit(20_000), $"did not stop:\n{Text()}");
        await pump;
        string screen = Text();

        int region = screen.IndexOf("\u001b[2J\u001b[35;50r\u001b[35;1H", StringComparison.Ordinal); // clear, log below row 34
        int panel = screen.IndexOf("\u001b7\u001b[1;1H" + PanelTop, StringComparison.Ordinal);         // panel drawn at the top
        int log = screen.IndexOf("tcp waiting...", StringComparison.Ordinal);
        int restore = screen.LastIndexOf("\u001b7\u001b[r\u001b8", StringComparison.Ordinal);          // scroll region given back
        Assert.True(region >= 0 && panel > region && log > region && restore > panel, screen);
        Assert.Contains("\u001b[34;1H└", screen);
    }

    [Fact]
    public async Task Oled_with_json_is_refused_in_one_line()
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(TimeSpan.FromSeconds(30), "server", "--oled", "--json", "--port", "0");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("--oled", Assert.Single(stderr.Split('\n')));
    }
}
