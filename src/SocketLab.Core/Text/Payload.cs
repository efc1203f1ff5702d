using System.Diagnostics.CodeAnalysis;
using System.Text;
using SocketLab.Core.Checksums;

namespace SocketLab.Core.Text;

/// <summary>Why typed text could not become bytes (nothing is sent then).</summary>
public enum PayloadError
{
    BadHex,
    BadEscape,
    BadMacro,
    Empty,
}

/// <summary>
/// How what a user types becomes the bytes that are sent — one rule for the CLI's typed lines and
/// the page's send box: the text as hex (<c>01 03 00 0a</c>), or in the chosen encoding with
/// C-style escapes when asked (<c>\r \n \t \0 \\ \xNN \uNNNN</c>, see <see cref="Escapes"/>), then
/// the checksum of those bytes when one is chosen, then the line ending. With <see cref="Macros"/>,
/// field macros (<c>{{counter}}</c>…, see <see cref="MacroContext"/>) add their bytes where they stand.
/// A HEX line gets exactly what was typed plus what was asked for.
/// </summary>
public sealed record Payload(Encoding Encoding, bool Hex = false, bool Escapes = false, LineEnding Eol = LineEnding.None,
    Checksum? Checksum = null, ByteOrder? ChecksumOrder = null, MacroContext? Macros = null)
{
    public bool TryBuild(string text, [NotNullWhen(true)] out byte[]? bytes, out PayloadError kind, [NotNullWhen(false)] out string? error)
    {
        if (Macros is null)
            return TryBuildBody(text, out bytes, out kind, out error) && Finish(ref bytes, out kind, out error);
        // Field macros: the pieces between them are read as usual (hex, escapes or text); each macro adds its bytes.
        PayloadError pieceKind = default;
        string? pieceError = null;
        if (!Macros.TryExpand(text, Encoding, piece =>
            {
                if (TryBuildBody(piece, out byte[]? b, out pieceKind, out pieceError))
                    return b;
                return null;
            }, out bytes, out string? macroError))
        {
            (kind, error) = macroError is null ? (pieceKind, pieceError!) : (PayloadError.BadMacro, macroError);
            return false;
        }
        return Finish(ref bytes, out kind, out error);
    }

    private bool Finish([NotNullWhen(true)] ref byte[]? body, out PayloadError kind, [NotNullWhen(false)] out string? error)
    {
        byte[] sum = Checksum?.Bytes(body, ChecksumOrder) ?? [];
        body = [.. body!, .. sum, .. Eol.Bytes()];
        kind = default;
        if (body.Length == 0)
        {
            (body, kind, error) = (null, PayloadError.Empty, "nothing to send");
            return false;
        }
        error = null;
        return true;
    }

    private bool TryBuildBody(string text, [NotNullWhen(true)] out byte[]? bytes, out PayloadError kind, [NotNullWhen(false)] out string? error)
    {
        byte[] body;
        kind = default;
        if (Hex)
        {
            if (!HexParser.TryParse(text, out byte[]? parsed, out error))
            {
                (bytes, kind) = (null, PayloadError.BadHex);
                return false;
            }
            body = parsed;
        }
        else if (Escapes)
        {
            if (!Text.Escapes.TryDecode(text, Encoding, out byte[]? decoded, out error))
            {
                (bytes, kind) = (null, PayloadError.BadEscape);
                return false;
            }
            body = decoded;
        }
        else
        {
            body = Encoding.GetBytes(text);
        }
        bytes = body;
        error = null;
        return true;
    }
}
