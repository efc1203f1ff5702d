using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Ports;

namespace SocketLab.Core.Serial;

/// <summary>Hardware or software flow control; <c>none</c> is what the 掌控板's USB serial uses.</summary>
public enum SerialFlow
{
    None,
    RtsCts,
    XonXoff,
}

/// <summary>A port and how to talk on it; the defaults are the 掌控板 REPL's 115200 8N1 without flow control.</summary>
public sealed record SerialSettings(string Port)
{
    public const int DefaultBaud = 115200;

    public int Baud { get; init; } = DefaultBaud;
    public int DataBits { get; init; } = 8;
    public Parity Parity { get; init; } = Parity.None;
    public StopBits StopBits { get; init; } = StopBits.One;
    public SerialFlow Flow { get; init; } = SerialFlow.None;

    /// <summary>"115200 8N1", as terminal programs write it.</summary>
    public string Describe() => $"{Baud} {DataBits}{char.ToUpperInvariant(Parity.ToString()[0])}{StopText(StopBits)}";

    public static string StopText(StopBits stop) => stop switch
    {
        StopBits.OnePointFive => "1.5",
        StopBits.Two => "2",
        _ => "1",
    };

    /// <summary>"1", "1.5" or "2".</summary>
    public static bool TryParseStopBits(string text, out StopBits stop)
    {
        stop = text switch { "1" => StopBits.One, "1.5" => StopBits.OnePointFive, "2" => StopBits.Two, _ => StopBits.None };
        return stop != StopBits.None;
    }

    /// <summary>
    /// The bridge's endpoint text after "serial:": <c>PORT[@BAUD[,FRAME]]</c> with FRAME like 8N1, 7E2
    /// (data bits 5-8, parity N/E/O/M/S, stop bits 1, 1.5 or 2), e.g. <c>/dev/ttyUSB0@115200</c> or <c>COM3@9600,7E1</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SerialSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        int at = text.LastIndexOf('@');
        string port = at < 0 ? text : text[..at];
        if (port.Length == 0)
        {
            error = "no port name (e.g. serial:/dev/ttyUSB0@115200)";
            return false;
        }
        var s = new SerialSettings(port);
        if (at >= 0)
        {
            string[] parts = text[(at + 1)..].Split(',');
            if (!TryParseBaud(parts[0], out int baud))
            {
                error = $"baud rate must be a whole number from 50 to 4000000, got '{parts[0]}'";
                return false;
            }
            s = s with { Baud = baud };
            if (parts.Length > 2 || (parts.Length == 2 && !TryParseFrame(parts[1], ref s)))
            {
                error = $"frame must look like 8N1 or 7E2 (data bits 5-8, parity N/E/O/M/S, stop bits 1, 1.5 or 2), got '{string.Join(',', parts[1..])}'";
                return false;
            }
        }
        settings = s;
        error = null;
        return true;
    }

    public static bool TryParseBaud(string text, out int baud) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out baud) && baud is >= 50 and <= 4_000_000;

    private static bool TryParseFrame(string frame, ref SerialSettings s)
    {
        if (frame.Length < 3 || frame[0] is < '5' or > '8')
            return false;
        Parity? parity = char.ToUpperInvariant(frame[1]) switch
        {
            'N' => Parity.None,
            'E' => Parity.Even,
            'O' => Parity.Odd,
            'M' => Parity.Mark,
            'S' => Parity.Space,
            _ => null,
        };
        if (parity is null || !TryParseStopBits(frame[2..], out StopBits stop))
            return false;
        s = s with { DataBits = frame[0] - '0', Parity = parity.Value, StopBits = stop };
        return true;
    }
}
