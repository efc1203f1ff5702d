using System.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Makes decoded text safe and readable on a terminal: control characters a peer sent (escape
/// sequences included) are shown as <c>\xNN</c> instead of acting on the terminal; so is a CR that
/// is not a line ending (it would move the cursor back and let the peer overwrite the line, e.g. with
/// a fake "connected" line), and bidirectional controls (U+202A–202E, U+2066–2069, U+200E, U+200F,
/// U+061C, which reorder what is shown) appear as <c>\uXXXX</c>. With <c>showEol</c>, CR, LF and NUL
/// appear as ␍ ␊ ␀. <c>raw</c> (the CLI's <c>--raw</c>) keeps CR and bidi controls as they are.
/// </summary>
public static class VisibleText
{
    public static string Render(string text, bool showEol, bool raw = false)
    {
        int i = 0;
        while (i < text.Length && !NeedsWork(text, i, showEol, raw))
            i++;
        if (i == text.Length)
            return text;

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\r' when showEol: sb.Append('␍'); break;
                case '\n' when showEol: sb.Append("␊\n"); break;
                case '\0' when showEol: sb.Append('␀'); break;
                case '\r' when !raw && !IsLineEnd(text, i): sb.Append("\\x0D"); break;
                case '\n' or '\r' or '\t': sb.Append(c); break;
                default:
                    if (!raw && IsBidi(c))
                        sb.Append("\\u").Append(((int)c).ToString("X4"));
                    else if (IsControl(c))
                        sb.Append("\\x").Append(((int)c).ToString("X2"));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Like <see cref="Render"/>, but on one line: CR, LF and TAB appear as \r \n \t.</summary>
    public static string OneLine(string text) =>
        Render(text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t"), showEol: false);

    private static bool NeedsWork(string text, int i, bool showEol, bool raw)
    {
        char c = text[i];
        if (!raw && (IsBidi(c) || (c == '\r' && !IsLineEnd(text, i))))
            return true;
        return showEol ? c is '\r' or '\n' or '\0' || IsControl(c) : IsControl(c) && c is not ('\n' or '\r' or '\t');
    }

    /// <summary>A CR before LF or at the end of the text (the line ends there) cannot overwrite anything.</summary>
    private static bool IsLineEnd(string text, int i) => i + 1 == text.Length || text[i + 1] == '\n';

    /// <summary>Characters that change the order text is shown in (Unicode bidi embeddings, overrides, isolates and marks).</summary>
    public static bool IsBidi(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    private static bool IsControl(char c) => c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
}
