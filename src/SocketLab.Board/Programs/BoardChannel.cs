using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Programs;

/// <summary>
/// socketlab's end of a board program's OLED and buttons: the Python shim (shim/board_host.py) connects to
/// this loopback listener and sends one JSON request per line (<c>{"op":"DispChar","s":…,"x":0,"y":0,…}</c>);
/// each runs on the one <see cref="OledDisplay"/> and gets one JSON reply line (<c>{"r":…}</c>, or
/// <c>{"e":"why"}</c> for a bad call, which the shim raises as TypeError).
/// </summary>
public sealed class BoardChannel(OledDisplay oled) : IAsyncDisposable
{
    private volatile bool _buttonA;
    private volatile bool _buttonB;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;
    private int _disposed;

    /// <summary>Our program says hello as it starts; a connection silent this long is someone else's.</summary>
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Raised on the channel's thread after each <c>show()</c>, before the program is told it is done.</summary>
    public event Action<OledFrame>? Shown;

    /// <summary>Holds button A or B down (true) or lets it go; the program reads it with button_a.value() and friends.</summary>
    public void SetButton(char name, bool pressed)
    {
        if (char.ToLowerInvariant(name) == 'a')
            _buttonA = pressed;
        else if (char.ToLowerInvariant(name) == 'b')
            _buttonB = pressed;
        else
            throw new ArgumentOutOfRangeException(nameof(name), "the board's buttons are A and B");
    }

    /// <summary>
    /// What the program's first line (<c>hello</c>) must carry, for SOCKETLAB_BOARD_TOKEN: another local
    /// process that connects first is dropped instead of drawing on the screen.
    /// </summary>
    public string Token { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>"127.0.0.1:PORT", for SOCKETLAB_BOARD_HOST.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Start()
    {
        _listener.Start(1);
        _serving = ServeAsync(_stop.Token);
    }

    private async Task ServeAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using TcpClient program = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                program.NoDelay = true;
                using var reader = new StreamReader(program.GetStream(), new UTF8Encoding(false));
                using var writer = new StreamWriter(program.GetStream(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
                using var helloDeadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                helloDeadline.CancelAfter(HelloTimeout);
                string? hello;
                try
                {
                    hello = await reader.ReadLineAsync(helloDeadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    continue; // silent: not our program, which says hello at once
                }
                if (!IsHello(hello))
                    continue; // not our program: drop it and wait for the one we started
                await writer.WriteLineAsync(Reply(null)).ConfigureAwait(false);
                while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                    await writer.WriteLineAsync(Handle(line)).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The program ended (or socketlab is stopping): the channel ends with it.
        }
    }

    private bool IsHello(string? line)
    {
        if (line is null)
            return false;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("op", out JsonElement op) && op.GetString() == "hello"
                && doc.RootElement.TryGetProperty("token", out JsonElement token) && token.GetString() == Token;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>One request line to one reply line.</summary>
    public string Handle(string line)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement a = doc.RootElement;
            string op = a.GetProperty("op").GetString() ?? "";
            return op switch
            {
                "fill" => Done(() => oled.Fill(Int(a, "c"))),
                "fill_rect" => Done(() => oled.FillRect(Int(a, "x"), Int(a, "y"), Int(a, "w"), Int(a, "h"), Int(a, "c"))),
                "pixel" when a.TryGetProperty("c", out JsonElement c) => Done(() => oled.Pixel(Int(a, "x"), Int(a, "y"), c.GetInt32())),
                "pixel" => Reply(oled.Pixel(Int(a, "x"), Int(a, "y")) ? 1 : 0),
                "show" => Done(() => Shown?.Invoke(oled.Show())),
                "DispChar" => DispChar(a),
                "button" => Reply(a.GetProperty("name").GetString() switch { "a" => _buttonA, "b" => _buttonB, _ => false }),
                _ => Error($"unknown OLED call '{op}'"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Error($"bad OLED call: {ex.Message}");
        }
    }

    private string DispChar(JsonElement a)
    {
        int mode = Int(a, "mode");
        if (!Enum.IsDefined((TextMode)mode))
            return Error($"DispChar mode must be 1-4, got {mode}");
        DispCharResult r = oled.DispChar(a.GetProperty("s").GetString() ?? "", Int(a, "x"), Int(a, "y"), (TextMode)mode, a.GetProperty("auto_return").GetBoolean());
        return Reply(new JsonArray(r.Width, r.NextX, r.Y));
    }

    private static int Int(JsonElement a, string name) => a.GetProperty(name).GetInt32();

    private static string Done(Action draw)
    {
        draw();
        return Reply(null);
    }

    // JsonNode rather than anonymous types: the answers are built without reflection, so the NativeAOT build can run them.
    private static string Reply(JsonNode? result) => new JsonObject { ["r"] = result }.ToJsonString();

    private static string Error(string message) => new JsonObject { ["e"] = message }.ToJsonString();

    /// <summary>Stops listening and serving; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _stop.Cancel();
        _listener.Stop();
        if (_serving is not null)
            await _serving.ConfigureAwait(false);
        _stop.Dispose();
    }
}
