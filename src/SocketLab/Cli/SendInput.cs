using System.Diagnostics.CodeAnalysis;
using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Cli;

/// <summary>How typed text becomes bytes: in the chosen encoding or as hex, plus the line ending.</summary>
public sealed record SendInput(Encoding Encoding, bool Hex, LineEnding Eol)
{
    public bool TryEncode(string line, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        byte[] body;
        if (Hex)
        {
            if (!HexParser.TryParse(line, out byte[]? parsed, out error))
            {
                bytes = null;
                error = $"bad hex, nothing sent: {error}";
                return false;
            }
            body = parsed;
        }
        else
        {
            body = Encoding.GetBytes(line);
        }
        ReadOnlySpan<byte> eol = Eol.Bytes();
        bytes = new byte[body.Length + eol.Length];
        body.CopyTo(bytes, 0);
        eol.CopyTo(bytes.AsSpan(body.Length));
        error = null;
        return true;
    }
}
