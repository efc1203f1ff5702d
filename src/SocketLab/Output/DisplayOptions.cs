using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Cli.Output;

public enum DataView
{
    Text,
    Hex,
}

/// <summary>How <c>--print</c> shows received data: decoded text, or Python bytes as the board's <c>print(data)</c>.</summary>
public enum PrintStyle
{
    Text,
    Bytes,
}

/// <summary>How received and sent data is shown; nothing here changes the bytes on the wire.</summary>
public sealed record DisplayOptions
{
    public required Encoding Encoding { get; init; }
    public InvalidBytes Invalid { get; init; } = InvalidBytes.Escape;
    public DataView View { get; init; } = DataView.Text;

    /// <summary>With <see cref="DataView.Text"/>: show data as text or as the board's <c>b'…'</c>.</summary>
    public PrintStyle Print { get; init; } = PrintStyle.Text;
    public bool ShowEol { get; init; }

    /// <summary>Keep a peer's CR and bidi controls as sent (<c>--raw</c>); by default they are escaped so a peer cannot rewrite the log.</summary>
    public bool Raw { get; init; }
    public bool Json { get; init; }

    /// <summary>Drop per-message lines (load tests); connects, closes and errors still show.</summary>
    public bool Quiet { get; init; }

    /// <summary>Server style: every line carries time and connection id. Client style: data as it came.</summary>
    public bool Prefix { get; init; }

    /// <summary>Also show what was sent from stdin (not echoes).</summary>
    public bool ShowSent { get; init; }
}
