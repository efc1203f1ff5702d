namespace SocketLab.Web.Sessions;

/// <summary>
/// Settings for starting a session; each kind reads its own fields.
/// TCP server: Address, Port, Echo, Board. TCP client: Host, Port, Echo, Greeting, Reconnect.
/// UDP: Port (local), Host/RemotePort (default destination), Broadcast, ReceiveOnly, ReadTimeoutMs, Echo.
/// </summary>
public sealed record StartRequest
{
    public string? Address { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public int? RemotePort { get; init; }
    /// <summary>Send received data back; unset = off (the page plays the phone's part; the board is the one that echoes).</summary>
    public bool? Echo { get; init; }
    public string? Greeting { get; init; }
    public bool Reconnect { get; init; }
    public bool Broadcast { get; init; }
    public bool ReceiveOnly { get; init; }
    /// <summary>UDP: after a send, note when nothing came back within this many ms (0 = wait forever).</summary>
    public int ReadTimeoutMs { get; init; }

    /// <summary>
    /// TCP server: serve as the seed's board program ("像掌控板一样"): listen(3), one client at a time
    /// (the next ones wait in the kernel's queue), "accepting....." between them, board-strict notices in the log.
    /// </summary>
    public bool Board { get; init; }

    /// <summary>Board: the program's source (a .py file's text), run unchanged.</summary>
    public string? Program { get; init; }

    /// <summary>Board: what the program's Wi-Fi reports as its address; unset = this PC's first LAN address.</summary>
    public string? Ip { get; init; }

    /// <summary>Serial: the port (/dev/ttyUSB0, COM3) and its settings; unset = 115200 8N1, no flow control.</summary>
    public string? Device { get; init; }
    public int? Baud { get; init; }
    public int? DataBits { get; init; }
    /// <summary>Serial: none, odd, even, mark, space.</summary>
    public string? Parity { get; init; }
    /// <summary>Serial: "1", "1.5" or "2".</summary>
    public string? StopBits { get; init; }
    /// <summary>Serial: none, rtscts, xonxoff.</summary>
    public string? Flow { get; init; }

    /// <summary>Every kind: whose DispChar the OLED draws with, "2.1", "2.2", "2.3" or "latest"; unset = the page's default (<c>ui --firmware</c>).</summary>
    public string? Firmware { get; init; }
}
