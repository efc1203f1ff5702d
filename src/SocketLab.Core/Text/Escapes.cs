using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Text with C-style escapes turned into bytes: \r \n \t \0 \\ \" , \xNN (one raw byte,
/// whatever the encoding) and \uNNNN (a character, encoded); everything else is encoded with the given encoding.
/// </summary>
public static class Escapes
{
    public static bool TryDecode(string text, Encoding encoding, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var output = new List<byte>(text.Length);
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\')
            {
                literal.Append(c);
                continue;
            }
            if (i + 1 >= text.Length)
            {
                bytes = null;
                error = "a lone '\\' at the end (write \\\\ for a backslash)";
                return false;
            }
            char next = text[++i];
            switch (next)
            {
                case 'r': literal.Append('\r'); break;
                case 'n': literal.Append('\n'); break;
                case 't': literal.Append('\t'); break;
                case '0': literal.Append('\0'); break;
                case '\\': literal.Append('\\'); break;
                case '"': literal.Append('"'); break;
                case 'x' when i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]):
                    Flush(literal, encoding, output);
                    output.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case 'u' when i + 4 < text.Length && text.AsSpan(i + 1, 4).ContainsAnyExcept(HexDigits) == false:
                    literal.Append((char)Convert.ToUInt16(text.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                case 'x' or 'u':
                    bytes = null;
                    error = next == 'x'
                        ? $"'\\x' at position {i} needs two hex digits (\\x0D)"
                        : $"'\\u' at position {i} needs four hex digits (\\u00B0)";
                    return false;
                default:
                    bytes = null;
                    error = $"unknown escape '\\{next}' at position {i} (use \\r \\n \\t \\0 \\\\ \\\" \\xNN or \\uNNNN)";
                    return false;
            }
        }
        Flush(literal, encoding, output);
        bytes = output.ToArray();
        error = null;
        return true;
    }

    private static void Flush(StringBuilder literal, Encoding encoding, List<byte> output)
    {
        if (literal.Length == 0)
            return;
        output.AddRange(encoding.GetBytes(literal.ToString()));
        literal.Clear();
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
