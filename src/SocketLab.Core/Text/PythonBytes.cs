using System.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Bytes as MicroPython's <c>print(data)</c> shows a <c>bytes</c> object (objstr.c,
/// <c>mp_str_print_quoted</c>; CPython's <c>repr</c> gives the same): <c>b'…'</c>, or <c>b"…"</c> when
/// the bytes hold a <c>'</c> and no <c>"</c>; the quote and <c>\</c> backslash-escaped; printable
/// ASCII 0x20–0x7E as is; <c>\n \r \t</c>; every other byte <c>\xNN</c> in lower-case hex.
/// </summary>
public static class PythonBytes
{
    /// <summary>How much the seed programs' <c>recv(1024)</c> returns at most.</summary>
    public const int BoardRecvSize = 1024;

    public static string Repr(ReadOnlySpan<byte> data)
    {
        bool hasSingle = data.Contains((byte)'\'');
        bool hasDouble = data.Contains((byte)'"');
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        var sb = new StringBuilder(data.Length + 3);
        sb.Append('b').Append(quote);
        foreach (byte b in data)
        {
            switch (b)
            {
                case var q when q == quote:
                    sb.Append('\\').Append(quote);
                    break;
                case (byte)'\\':
                    sb.Append(@"\\");
                    break;
                case >= 0x20 and < 0x7F:
                    sb.Append((char)b);
                    break;
                case (byte)'\n':
                    sb.Append(@"\n");
                    break;
                case (byte)'\r':
                    sb.Append(@"\r");
                    break;
                case (byte)'\t':
                    sb.Append(@"\t");
                    break;
                default:
                    sb.Append(@"\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }
}
