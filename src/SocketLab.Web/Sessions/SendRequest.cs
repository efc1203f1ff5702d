using System.Diagnostics.CodeAnalysis;
using System.Text;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Web.Sessions;

/// <summary>What the page asks to send. <see cref="Target"/> is a client id or "all" (TCP server only).</summary>
public sealed record SendRequest
{
    // 'set', not 'init', where there is a default: generated JSON code assigns every init property, missing ones as null.
    public string Data { get; set; } = "";
    public bool Hex { get; init; }
    public string Eol { get; set; } = "none";
    public string? Encoding { get; init; }
    public string? Target { get; init; }
    public string? RemoteHost { get; init; }
    public int? RemotePort { get; init; }
    /// <summary>Repeat every this many milliseconds (0 = send once).</summary>
    public int RepeatMs { get; init; }
    /// <summary>How many sends in total when repeating (0 = until stopped).</summary>
    public int RepeatCount { get; init; }

    /// <summary>Text with C-style escapes (\r \n \t \0 \\ \xNN \uNNNN); ignored for HEX.</summary>
    public bool Escapes { get; init; }

    /// <summary>Expand field macros ({{counter}}, {{time:…}}, {{unix_ms}}, {{random:N}}, {{hex:…}}, {{file:PATH}}) — again for each repeat.</summary>
    public bool Macros { get; init; }

    /// <summary>A checksum to append to the body before the line ending (see <see cref="Checksum.All"/>); null or "none" for none.</summary>
    public string? Checksum { get; init; }

    /// <summary>"le" or "be" for a checksum of two or four bytes; null: the algorithm's usual order.</summary>
    public string? ChecksumOrder { get; init; }

    /// <summary>The exact bytes to send, or what is wrong (nothing is sent then); built by Core's <see cref="Payload"/>, as the CLI builds typed lines.</summary>
    public bool TryBuild(Encoding sessionEncoding, out byte[] bytes, [NotNullWhen(false)] out Notice? error, MacroContext? macros = null)
    {
        bytes = [];
        if (!LineEndings.TryParse(Eol, out LineEnding eol))
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
        if (!Core.Checksums.Checksum.TryParse(Checksum, ChecksumOrder, out Checksum? checksum, out ByteOrder? order, out bool badOrder, out _))
        {
            error = badOrder ? Notice.BadOrder(ChecksumOrder!) : Notice.UnknownChecksum(Checksum!);
            return false;
        }
        var payload = new Payload(encoding, Hex, Escapes && !Hex, eol, checksum, order, Macros ? macros ?? new MacroContext() : null);
        if (!payload.TryBuild(Data, out byte[]? built, out PayloadError kind, out string? why))
        {
            error = kind switch
            {
                PayloadError.BadHex => Notice.BadHex(why),
                PayloadError.BadEscape => Notice.Of("badEscape", $"bad escape: {why}", ("detail", why)),
                PayloadError.BadMacro => Notice.Of("badMacro", $"bad field: {why}", ("detail", why)),
                _ => Notice.NothingToSend(),
            };
            return false;
        }
        bytes = built;
        error = null;
        return true;
    }
}
