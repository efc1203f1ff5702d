using System.ComponentModel;
using System.Diagnostics;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Programs;

/// <summary>What to run and where its console goes.</summary>
public sealed record BoardProgramOptions
{
    /// <summary>The CPython 3 to run it with (see <see cref="PythonLocator"/>).</summary>
    public required string Interpreter { get; init; }

    public required string ProgramPath { get; init; }

    /// <summary>What the program's Wi-Fi reports as its address (<c>sta.ifconfig()[0]</c>).</summary>
    public string Ip { get; init; } = "127.0.0.1";

    /// <summary>Null: the program's console is this process's. Otherwise each line it prints, and whether it went to stderr.</summary>
    public Action<string, bool>? Output { get; init; }
}

/// <summary>
/// A MicroPython board program running unchanged on CPython 3 with the shim modules in
/// <c>board-shim/</c> next to the app (mpython, socket/usocket, time/utime, network): its sockets
/// are real, its OLED is <paramref name="oled"/> (through a <see cref="BoardChannel"/>).
/// </summary>
public sealed class BoardProgram(OledDisplay oled, BoardProgramOptions options) : IAsyncDisposable
{
    public const string ShimFolder = "board-shim";
    private const string Runner = "socketlab_board.py";

    private Process? _process;

    public BoardChannel Channel { get; } = new(oled);

    /// <summary>Completes with the program's exit code.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    /// <summary>Starts it; a Python that cannot be started throws <see cref="Win32Exception"/>.</summary>
    public void Start()
    {
        Channel.Start();
        var psi = new ProcessStartInfo(options.Interpreter)
        {
            UseShellExecute = false,
            RedirectStandardOutput = options.Output is not null,
            RedirectStandardError = options.Output is not null,
            RedirectStandardInput = options.Output is not null, // the page has no keyboard for input()
        };
        foreach (string a in new[] { "-u", Path.Combine(BoardShim.Folder(), Runner), options.ProgramPath })
            psi.ArgumentList.Add(a);
        psi.Environment["SOCKETLAB_BOARD_HOST"] = Channel.Address;
        psi.Environment["SOCKETLAB_BOARD_TOKEN"] = Channel.Token;
        psi.Environment["SOCKETLAB_BOARD_IP"] = options.Ip;
        psi.Environment["SOCKETLAB_BOARD_FIRMWARE"] = oled.Firmware.Name;
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1"; // nothing written next to the app's files
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        if (options.Output is not null)
        {
            psi.StandardOutputEncoding = System.Text.Encoding.UTF8;
            psi.StandardErrorEncoding = System.Text.Encoding.UTF8;
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception($"cannot start {options.Interpreter}");
        }
        catch (Win32Exception)
        {
            _ = Channel.DisposeAsync(); // no program will connect: stop listening now
            throw;
        }
        _process = process;
        if (options.Output is { } output)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data, false); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data, true); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
        }
        Exited = WaitAsync(process);
    }

    private static async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>The board's reset button: ends the program at once.</summary>
    public void Stop()
    {
        try
        {
            if (_process is { HasExited: false } p)
                p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await Exited.ConfigureAwait(false);
        await Channel.DisposeAsync().ConfigureAwait(false);
        _process?.Dispose();
    }
}
