using System.CommandLine;
using System.ComponentModel;
using System.Net;
using SocketLab.Board.Oled;
using SocketLab.Board.Programs;
using SocketLab.Cli.Output;
using SocketLab.Core.Net;

namespace SocketLab.Cli.Commands;

/// <summary>
/// <c>socketlab board run PROGRAM.py</c>: a MicroPython board program, unchanged, on CPython 3 with
/// SocketLab's shim modules (SocketLab.Board's board-shim/), its sockets real and its OLED drawn by SocketLab.Board.
/// CPython rather than MicroPython's WebAssembly port: learners' PCs have it (or one package away),
/// its sockets are the OS's, so the program talks to a real board, phone or socketlab as it is.
/// </summary>
public static class BoardCommand
{
    public static Command Create() => new("board", "The virtual mPython board: run a board program on this PC")
    {
        Run(),
    };

    private static Command Run()
    {
        Argument<string> program = new("program") { Description = "The board program (.py), run unchanged" };
        Option<bool> oled = new("--oled") { Description = "Draw the board's OLED on the terminal at each show() that changes it (see docs/board.md)" };
        Option<string> frames = new("--frames") { Description = "Append every shown frame to this file: 1024 bytes each, the board's MONO_VLSB framebuffer" };
        Option<IPAddress> ip = CommonOptions.Address("--ip", "The address the program's Wi-Fi reports (sta.ifconfig()[0]) [default: this PC's first LAN address]", IPAddress.None);
        Option<string> python = new("--python") { Description = "The Python 3 to run it with [default: python3 on PATH]" };
        var board = new BoardOptionSet();

        var command = new Command("run", "Run a MicroPython board program (mpython, socket/usocket, time/utime, network) on this PC with CPython 3; its sockets are real")
        {
            program, oled, frames, ip, python,
        };
        board.AddTo(command);
        command.SetAction(async (r, _) =>
        {
            if (board.CreateDisplay(r, "socketlab board run") is not { } display)
                return ExitCodes.Usage;
            string path = r.GetValue(program)!;
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"socketlab board run: cannot read '{path}': no such file");
                return ExitCodes.FileError;
            }
            if (PythonLocator.Find(r.GetValue(python)) is not { } interpreter)
            {
                Console.Error.WriteLine($"socketlab board run: {r.GetValue(python) ?? "python3"} not found: install Python 3 (Debian/Ubuntu: apt install python3; Windows, macOS: python.org) or name one with --python");
                return ExitCodes.RuntimeMissing;
            }
            IPAddress shownIp = r.GetValue(ip) is { } given && !given.Equals(IPAddress.None) ? given : BoardIp();
            return await RunAsync(interpreter, Path.GetFullPath(path), display, shownIp, r.GetValue(oled), r.GetValue(frames)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string interpreter, string program, OledDisplay display, IPAddress ip, bool drawOled, string? framesPath)
    {
        using var termination = new Termination();
        FileStream? frames = null;
        try
        {
            frames = framesPath is null ? null : new FileStream(framesPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"socketlab board run: cannot write --frames {framesPath}: {ex.Message}");
            return ExitCodes.FileError;
        }
        await using (frames)
        {
            // The program's console is ours: what it prints goes straight to the terminal.
            await using var board = new BoardProgram(display, new BoardProgramOptions
            {
                Interpreter = interpreter,
                ProgramPath = program,
                Ip = EndpointText.Plain(ip).ToString(),
            });
            OledFrame? drawn = null;
            board.Channel.Shown += frame =>
            {
                frames?.Write(frame.Bytes);
                frames?.Flush();
                if (drawOled && (drawn is null || !frame.ContentEquals(drawn)))
                    Console.Out.Write(new OledPanelView.Inline().Frame(frame));
                drawn = frame;
            };
            try
            {
                board.Start();
            }
            catch (Win32Exception ex)
            {
                Console.Error.WriteLine($"socketlab board run: cannot start {interpreter}: {ex.Message}");
                return ExitCodes.RuntimeMissing;
            }
            await Task.WhenAny(board.Exited, termination.WaitAsync()).ConfigureAwait(false);
            if (!board.Exited.IsCompleted)
            {
                board.Stop(); // Ctrl+C: the board's reset button
                await board.Exited.ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            return await board.Exited.ConfigureAwait(false);
        }
    }

    /// <summary>The address the board would get on the LAN: this PC's first one, else loopback.</summary>
    private static IPAddress BoardIp() => EndpointText.ReachableAddress(IPAddress.Any);
}
