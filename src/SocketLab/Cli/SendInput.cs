using System.Diagnostics.CodeAnalysis;
using System.Text;
using SocketLab.Core.Checksums;
using SocketLab.Core.Text;

namespace SocketLab.Cli;

/// <summary>
/// How a typed line becomes bytes: in the chosen encoding (with escapes when asked) or as hex, then
/// the --append checksum, then the line ending — Core's <see cref="Payload"/>, as the page builds its sends.
/// </summary>
public sealed record SendInput(Encoding Encoding, bool Hex, LineEnding Eol, bool Escapes = false, Checksum? Append = null, ByteOrder? AppendOrder = null, MacroContext? Macros = null)
{
    public bool TryEncode(string line, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var payload = new Payload(Encoding, Hex, Escapes, Eol, Append, AppendOrder, Macros);
        if (payload.TryBuild(line, out bytes, out PayloadError kind, out error))
            return true;
        error = kind switch
        {
            PayloadError.BadHex => $"bad hex, nothing sent: {error}",
            PayloadError.BadEscape => $"bad escape, nothing sent: {error}",
            PayloadError.BadMacro => $"bad field, nothing sent: {error}",
            _ => error,
        };
        return false;
    }
}
