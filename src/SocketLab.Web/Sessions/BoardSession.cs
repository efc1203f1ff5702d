using System.ComponentModel;
using System.Net;
using SocketLab.Board.Oled;
using SocketLab.Board.Programs;
using SocketLab.Core.Net;
using SocketLab.Core.Transcripts;
using SocketLab.Web.Hosting;

namespace SocketLab.Web.Sessions;

/// <summary>
/// 虚拟掌控板: a board program, pasted or opened on the page, run unchanged on this PC (as
/// <c>socketlab board run</c>). Its console lines are the log (stderr as errors), its show()s the
/// OLED, and the page can hold buttons A and B. Its sockets are its own, so it sends nothing here.
/// </summary>
public sealed class BoardSession(string id, SessionServices services) : Session(id, SessionKind.Board, services)
{
    private const string ProgramName = "main.py";

    private readonly Lock _lifecycle = new();
    private BoardProgram? _program;
    private string? _folder;
    private string? _ip;
    private string? _firmware;
    private BoardProgram? _resetting;

    /// <summary>A board program has no echo setting: what it sends back is up to its code.</summary>
    public override bool Echo
    {
        get => false;
        set { }
    }

    /// <summary>Nothing to record: the program's traffic goes through its own sockets.</summary>
    protected override void PlugRecorder(TranscriptWriter? writer) { }

    public override Task StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        BoardProgramSettings settings = Services.BoardPrograms ?? throw new SessionException(Notice.Of("boardOff", "board programs are off on this page"));
        if (request.Program is not { Length: > 0 } source)
            throw new SessionException(Notice.Of("noProgram", "no program: paste or open a .py file"));
        if (source.Length > settings.MaxProgramChars)
            throw new SessionException(Notice.Of("programTooLong", $"the program is over {settings.MaxProgramChars / 1024} K characters", ("k", settings.MaxProgramChars / 1024)));
        IPAddress ip = IPAddress.Loopback;
        if (request.Ip is { Length: > 0 } text && !IPAddress.TryParse(text, out ip!))
            throw new SessionException(Notice.Of("notAnIp", $"'{text}' is not an IP address", ("text", text)));
        if (request.Ip is not { Length: > 0 })
            ip = EndpointText.ReachableAddress(IPAddress.Any);
        OledDisplay display = settings.Display();
        if (request.Firmware is { } name)
            display.Firmware = BoardFirmware.TryParse(name, out BoardFirmware? firmware)
                ? firmware
                : throw new SessionException(Notice.BadFirmware(name));
        string python = PythonLocator.Find(settings.Python)
            ?? throw new SessionException(Notice.Of("noPython", "python3 not found: install Python 3 (Debian/Ubuntu: apt install python3; Windows, macOS: python.org); board programs run on it"));

        lock (_lifecycle)
        {
            if (_program is not null)
                throw new SessionException(Notice.AlreadyRunning(), conflict: true);
            string folder = Directory.CreateTempSubdirectory("socketlab-board-").FullName;
            string path = Path.Combine(folder, ProgramName);
            File.WriteAllText(path, source);
            var program = new BoardProgram(display, new BoardProgramOptions
            {
                Interpreter = python,
                ProgramPath = path,
                Ip = EndpointText.Plain(ip).ToString(),
                Output = (line, isError) =>
                {
                    if (isError)
                        Fail(Notice.Of("consoleError", line, ("text", line)));
                    else
                        Note(Notice.Of("console", line, ("text", line)));
                },
            });
            program.Channel.Shown += frame => ShowGlass(frame.Bytes.ToArray());
            try
            {
                program.Start();
            }
            catch (Win32Exception ex)
            {
                Directory.Delete(folder, recursive: true);
                throw new SessionException(Notice.Of("pythonFailed", $"cannot start {python}: {ex.Message}", ("python", python), ("detail", ex.Message)));
            }
            (_program, _folder, _ip, _firmware) = (program, folder, EndpointText.Plain(ip).ToString(), display.Firmware.Name);
            Settings = request;
        }
        Note(Notice.Of("programRunning", $"running {ProgramName} on {python} (Wi-Fi address {_ip}, firmware {_firmware})",
            ("name", ProgramName), ("python", python), ("ip", _ip), ("firmware", _firmware)));
        SetState("running");
        _ = WatchAsync(_program!);
        return Task.CompletedTask;
    }

    private async Task WatchAsync(BoardProgram program)
    {
        int code = await program.Exited.ConfigureAwait(false);
        // Killed by the reset button: StopAsync ends it and says so (not "exit code 137").
        if (ReferenceEquals(Volatile.Read(ref _resetting), program))
            return;
        if (await EndAsync(program).ConfigureAwait(false))
            Note(code == 0 ? Notice.Of("programEnded", "the program ended") : Notice.Of("programFailed", $"the program ended with exit code {code}", ("code", code)));
    }

    /// <summary>The board's reset button.</summary>
    public override async Task StopAsync()
    {
        BoardProgram? program = _program;
        if (program is null)
            return;
        Volatile.Write(ref _resetting, program);
        program.Stop();
        if (await EndAsync(program).ConfigureAwait(false))
            Note(Notice.Of("programReset", "stopped (reset)"));
    }

    /// <summary>Forgets <paramref name="program"/> once; false if another caller already did.</summary>
    private async Task<bool> EndAsync(BoardProgram program)
    {
        string? folder;
        lock (_lifecycle)
        {
            if (!ReferenceEquals(_program, program))
                return false;
            _program = null;
            folder = _folder;
        }
        await program.DisposeAsync().ConfigureAwait(false);
        if (folder is not null)
            Directory.Delete(folder, recursive: true);
        SetState("idle");
        return true;
    }

    /// <summary>Holds button A or B down, or lets it go.</summary>
    public void Press(string button, bool pressed)
    {
        if (button is not ("a" or "b"))
            throw new SessionException(Notice.Of("badButton", $"the board's buttons are a and b, got '{button}'", ("button", button)));
        BoardProgram? program = _program;
        // Letting go of a button after the program ended (it may end on that very press) is no mistake.
        if (program is null && !pressed)
            return;
        if (program is null)
            throw new SessionException(Notice.Of("noProgramRunning", "no program is running"), conflict: true);
        program.Channel.SetButton(button[0], pressed);
    }

    protected override void ValidateSend(SendRequest request) =>
        throw new SessionException(Notice.Of("boardSends", "a board program sends with its own sockets; nothing to send from here"));

    protected override Task<int> SendOnceAsync(byte[] data, SendRequest request, CancellationToken cancellationToken) =>
        throw new SessionException(Notice.Of("boardSends", "a board program sends with its own sockets; nothing to send from here"));

    public override object Details() => new BoardDetails(_program is not null, ProgramName, _ip, _firmware);
}
