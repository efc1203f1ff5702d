using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;
using SocketLab.Web.History;
using SocketLab.Board.Oled;
using SocketLab.Web.Board;
using SocketLab.Web.Hosting;

namespace SocketLab.Cli.Commands;

/// <summary><c>socketlab ui</c>: the phone's Network Test Utility as a local web page.</summary>
public static class UiCommand
{
    public static Command Create()
    {
        Option<int> port = new("--port", "-p")
        {
            Description = "Port of the web page, 0-65535 [default: 0 = any free port]",
            DefaultValueFactory = _ => 0,
            CustomParser = r => CommonOptions.ParsePort(r, "--port"),
        };
        Option<IPAddress> bind = CommonOptions.Address("--bind", "Address the page listens on; anything but loopback lets others on the network reach it (the token is still required) [default: 127.0.0.1]", IPAddress.Loopback);
        Option<bool> open = new("--open") { Description = "Open the page in the default browser" };
        Option<string> dataDir = new("--data-dir")
        {
            Description = $"Folder of the session history database (history.db) [default: {DefaultDataDirectory()}]",
            DefaultValueFactory = _ => DefaultDataDirectory(),
        };
        Option<bool> noHistory = new("--no-history") { Description = "Keep sessions in memory only; store nothing on disk" };

        var board = new BoardOptionSet();
        var command = new Command("ui", "Serve the Network Test Utility page (TCP server, TCP client, UDP) on this machine")
        {
            port, bind, open, dataDir, noHistory,
        };
        board.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            if (board.ResolveFont(r, "socketlab ui") is not { } font)
                return ExitCodes.Usage;
            var options = new UiHostOptions
            {
                Screens = () => new BoardDisplay(font, r.GetValue(board.Firmware)),
                BoardPrograms = new BoardProgramSettings { Display = () => new OledDisplay(font, r.GetValue(board.Firmware)) },
                Firmware = r.GetValue(board.Firmware)!.Name,
                OledFontFile = OledFontSetting.ChosenFile(r.GetValue(board.Font)),
                Bind = r.GetValue(bind)!,
                Port = r.GetValue(port),
                DataDirectory = r.GetValue(noHistory) ? null : r.GetValue(dataDir),
            };
            return await RunAsync(options, r.GetValue(open)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The user's data folder, e.g. ~/.local/share/socketlab or %LOCALAPPDATA%\socketlab.</summary>
    public static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "socketlab");

    private static async Task<int> RunAsync(UiHostOptions options, bool open)
    {
        using var termination = new Termination();
        IPAddress bind = options.Bind;
        UiHost host;
        try
        {
            host = await UiHost.StartAsync(options).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException && FindSocketError(ex) is { } se)
        {
            // Kestrel throws the SocketException itself for an address not on this machine, wrapped for one in use.
            throw NetworkException.From(se, NetworkOperation.Serve, EndpointText.HostPort(new IPEndPoint(bind, options.Port)));
        }
        catch (HistoryUnavailableException ex)
        {
            Console.Error.WriteLine($"socketlab ui: {ex.Message} (use another --data-dir or --no-history)");
            return ExitCodes.HistoryUnavailable;
        }
        await using (host.ConfigureAwait(false))
        {
            if (!IPAddress.IsLoopback(bind))
                Console.Error.WriteLine($"socketlab ui: warning: listening on {bind}, not loopback: anyone who can reach this machine and knows the token can open sockets through it");
            Console.Out.WriteLine(host.PageUri);
            Console.Out.Flush();
            Console.Error.WriteLine("socketlab ui: open the address above in a browser; Ctrl+C stops the page and every session");
            if (host.History is { } history)
            {
                Console.Error.WriteLine($"socketlab ui: history in {history.Path}");
                history.Failed += line => Console.Error.WriteLine($"socketlab ui: {line}");
            }
            if (open)
                OpenBrowser(host.PageUri);
            try
            {
                await Task.Delay(Timeout.Infinite, termination.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
        }
        // A history that stopped storing on the way (disk full) was told when it happened; the exit code says it too.
        return host.History?.Failure is null ? ExitCodes.Ok : ExitCodes.HistoryUnavailable;
    }

    // Kestrel wraps the socket error (IOException → AddressInUseException → SocketException).
    private static SocketException? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException se)
                return se;
        }
        return null;
    }

    /// <summary>
    /// Asks the desktop to open the page. On Linux and macOS the opener (xdg-open, open) runs with its output
    /// captured: when no browser can be found it lists every one it tried, and that is one line here instead.
    /// An opener still running after a few seconds is taken to have started a browser.
    /// </summary>
    private static void OpenBrowser(Uri uri)
    {
        const string advice = "open the address above in a browser yourself";
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            try
            {
                using Process? _ = Process.Start(new ProcessStartInfo(uri.ToString()) { UseShellExecute = true });
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Console.Error.WriteLine($"socketlab ui: no browser could be opened ({ex.Message}); {advice}");
            }
            return;
        }
        string opener = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
        var psi = new ProcessStartInfo(opener, [uri.ToString()])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{opener} did not start");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            Console.Error.WriteLine($"socketlab ui: no browser could be opened ({opener} not found); {advice}");
            return;
        }
        // Drained and dropped: a browser started by the opener may keep the pipes open for its whole life.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _ = Task.Run(() =>
        {
            using (process)
            {
                if (process.WaitForExit(TimeSpan.FromSeconds(10)) && process.ExitCode != 0)
                    Console.Error.WriteLine($"socketlab ui: no browser could be opened ({opener} failed with exit code {process.ExitCode}); {advice}");
            }
        });
    }
}
