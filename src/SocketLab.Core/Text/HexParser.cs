using System.Diagnostics.CodeAnalysis;

namespace SocketLab.Core.Text;

/// <summary>Reads hex typed by a person: "01ae", "01 AE ff", "0x01,0xae" and "01:ae" all work.</summary>
public static class HexParser
{
    public static bool TryParse(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var digits = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ' ' or '\t' or ',' or ':' or '-' or '\r' or '\n')
                continue;
            if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
            {
                i++;
                continue;
            }
            int v = HexValue(c);
            if (v < 0)
            {
                bytes = null;
                error = $"not a hex digit: '{c}' at position {i + 1}";
                return false;
            }
            digits.Add(v);
        }
        if (digits.Count % 2 != 0)
        {
            bytes = null;
            error = $"odd number of hex digits ({digits.Count}); every byte needs two";
            return false;
        }
        bytes = new byte[digits.Count / 2];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(digits[2 * i] << 4 | digits[2 * i + 1]);
        error = null;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
