using System.Diagnostics.CodeAnalysis;
using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Web.Sessions;

/// <summary>What the page asks to send. <see cref="Target"/> is a client id or "all" (TCP server only).</summary>
public sealed record SendRequest
{
    public string Data { get; init; } = "";
    public bool Hex { get; init; }
    public string Eol { get; init; } = "none";
    public string? Encoding { get; init; }
    public string? Target { get; init; }
    public string? RemoteHost { get; init; }
    public int? RemotePort { get; init; }
    /// <summary>Repeat every this many milliseconds (0 = send once).</summary>
    public int RepeatMs { get; init; }
    /// <summary>How many sends in total when repeating (0 = until stopped).</summary>
    public int RepeatCount { get; init; }

    /// <summary>The exact bytes to send, or an error a person can act on (nothing is sent then).</summary>
    public bool TryBuild(Encoding sessionEncoding, out byte[] bytes, [NotNullWhen(false)] out Notice? error)
    {
        bytes = [];
        if (!TryParseEol(Eol, out LineEnding eol))
        {
            error = Notice.BadEol(Eol);
            return false;
        }
        Encoding encoding = sessionEncoding;
        if (Encoding is { Length: > 0 } name && !TextEncodings.TryGet(name, out encoding))
        {
            error = Notice.UnknownEncoding(name, TextEncodings.Names);
            return false;
        }
        byte[] body;
        if (Hex)
        {
            if (!HexParser.TryParse(Data, out byte[]? parsed, out string? hexError))
            {
                error = Notice.BadHex(hexError);
                return false;
            }
            body = parsed;
        }
        else
        {
            body = encoding.GetBytes(Data);
        }
        bytes = [.. body, .. eol.Bytes()];
        if (bytes.Length == 0)
        {
            error = Notice.NothingToSend();
            return false;
        }
        error = null;
        return true;
    }

    public static bool TryParseEol(string text, out LineEnding eol)
    {
        switch (text.ToLowerInvariant())
        {
            case "" or "none": eol = LineEnding.None; return true;
            case "cr": eol = LineEnding.Cr; return true;
            case "lf": eol = LineEnding.Lf; return true;
            case "crlf": eol = LineEnding.CrLf; return true;
            default: eol = LineEnding.None; return false;
        }
    }
}
