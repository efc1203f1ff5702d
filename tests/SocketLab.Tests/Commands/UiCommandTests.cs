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
    public async Task An_address_not_on_this_machine_is_one_line_and_exit_code_10()
    {
        // 203.0.113.0/24 is TEST-NET-3: never an address of this machine.
        (int code, _, string stderr) = await CliProcess.RunAsync(Exit, "ui", "--bind", "203.0.113.7", "--no-history");
        Assert.Equal(10, code);
        Assert.Equal("socketlab: cannot serve the page on 203.0.113.7:0: address not available on this machine (check --bind)", stderr.Trim());
    }

    [Fact]
    public async Task Open_without_a_browser_says_so_in_one_line_instead_of_the_openers_noise()
    {
        if (OperatingSystem.IsWindows())
            return; // Windows opens pages through the shell, not xdg-open.
        // An xdg-open that finds no browser, as on a server: it lists all it tried on stderr and fails.
        string bin = Directory.CreateTempSubdirectory("socketlab-nobrowser-").FullName;
        try
        {
            string script = Path.Combine(bin, "xdg-open");
            await File.WriteAllTextAsync(script, """
                #!/bin/sh
                for b in www-browser links2 elinks links lynx w3m; do echo "/usr/bin/xdg-open: 882: $b: not found" >&2; done
                echo "xdg-open: no method available for opening '$1'" >&2
                exit 3
                """.Replace("\r\n", "\n"));
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var env = new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
            await using var ui = CliProcess.Start(["ui", "--open", "--no-history"], redirectStdin: true, env);
            await ui.WaitForLineAsync(@"^http://127\.0\.0\.1:\d+/\?token=");
            await ui.WaitForLineAsync(@"^socketlab ui: no browser could be opened \(xdg-open failed with exit code 3\); open the address above in a browser yourself$", stderr: true);
            await Task.Delay(300); // Anything the opener printed would be here by now.
            Assert.DoesNotContain("not found", ui.Stderr);
            Assert.DoesNotContain("no method available", ui.Stderr);
            Assert.Equal(2, ui.Stderr.Split('\n').Length); // "open the address above …" and the one line about the browser.
            ui.Signal();
            Assert.Equal(0, await ui.WaitForExitAsync(Exit));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
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
