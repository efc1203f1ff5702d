using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

public class UiCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Prints_a_loopback_url_with_a_token_that_the_api_requires_and_stops_on_sigterm()
    {
        string dir = Path.Combine(Path.GetTempPath(), "socketlab-ui-" + Guid.NewGuid().ToString("N"));
        await using var ui = CliProcess.Start("ui", "--data-dir", dir);
        Match m = await ui.WaitForLineAsync(@"^http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{20,})$");
        string baseUrl = $"http://127.0.0.1:{m.Groups[1].Value}";
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{baseUrl}/api/info")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{baseUrl}/api/info?token={m.Groups[2].Value}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{baseUrl}/")).StatusCode);
        Assert.DoesNotContain("warning", ui.Stderr);

        await ui.WaitForLineAsync($"history in {Regex.Escape(Path.Combine(dir, "history.db"))}$", stderr: true);

        ui.Signal();
        Assert.Equal(0, await ui.WaitForExitAsync(Exit));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_history_on_a_disk_that_fills_up_is_one_clear_line_sessions_go_on_and_exit_14()
    {
        using var disk = new SocketLab.Core.Tests.Infrastructure.SmallDisk("1m");
        await using var ui = CliProcess.Start("ui", "--data-dir", disk.Path);
        Match m = await ui.WaitForLineAsync(@"^http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{20,})$");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{m.Groups[1].Value}") };
        http.DefaultRequestHeaders.Add("X-SocketLab-Token", m.Groups[2].Value);
        JsonElement created = await (await http.PostAsJsonAsync("/api/sessions", new { kind = "tcpServer" })).Content.ReadFromJsonAsync<JsonElement>();
        string id = created.GetProperty("id").GetString()!;
        JsonElement started = await (await http.PostAsJsonAsync($"/api/sessions/{id}/start", new { address = "127.0.0.1", port = 0, echo = true })).Content.ReadFromJsonAsync<JsonElement>();
        string on = started.GetProperty("details").GetProperty("listeningOn").GetString()!;

        using Socket board = await RawPeer.ConnectAsync(int.Parse(on[(on.LastIndexOf(':') + 1)..]));
        var random = new Random(14);
        for (int i = 0; i < 5000 && !ui.Stderr.Contains("history stopped"); i++)
        {
            byte[] chunk = new byte[2000];
            random.NextBytes(chunk);
            await board.SendAsync(chunk, SocketFlags.None);
            Assert.Equal(chunk, await RawPeer.ReadExactlyAsync(board, chunk.Length)); // The session echoes on.
        }
        await ui.WaitForLineAsync($"^socketlab ui: history stopped: cannot write {Regex.Escape(Path.Combine(disk.Path, "history.db"))}: the disk is full; sessions go on, nothing more is stored$", stderr: true);

        ui.Signal(2); // Ctrl+C
        Assert.Equal(14, await ui.WaitForExitAsync(Exit));
        Assert.DoesNotContain("Sqlite", ui.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("unexpected", ui.Stderr);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_code_3()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "ui", "--port", port.ToString(), "--no-history");
        Assert.Equal(3, code);
        Assert.Equal($"socketlab: cannot serve the page on 127.0.0.1:{port}: address already in use (another program is listening there; pick another --port)", stderr.Trim());
    }

    [Fact]
    public async Task A_bad_port_is_a_usage_error()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "ui", "--port", "70000");
        Assert.Equal(2, code);
        Assert.Contains("--port must be a number from 0 to 65535, got '70000'", stderr);
    }

    [Fact]
    public async Task An_unusable_data_folder_is_one_line_and_exit_code_14()
    {
        string file = Path.GetTempFileName(); // a file where a folder is expected
        try
        {
            (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "ui", "--data-dir", file);
            Assert.Equal(14, code);
            string line = Assert.Single(stderr.Trim().Split('\n'));
            Assert.StartsWith($"socketlab ui: cannot open the history {Path.Combine(file, "history.db")}:", line);
            Assert.EndsWith("(use another --data-dir or --no-history)", line);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
