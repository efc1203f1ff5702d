using System.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Makes decoded text safe and readable on a terminal: control characters a peer sent (escape
/// sequences included) are shown as <c>\xNN</c> instead of acting on the terminal; with
/// <c>showEol</c>, CR, LF and NUL appear as ␍ ␊ ␀.
/// </summary>
public static class VisibleText
{
    public static string Render(string text, bool showEol)
    {
        int i = 0;
        while (i < text.Length && !NeedsWork(text[i], showEol))
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
                case '\n' or '\r' or '\t': sb.Append(c); break;
                default:
                    if (IsControl(c))
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
        Render(text, showEol: false).Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");

    private static bool NeedsWork(char c, bool showEol) =>
        showEol ? c is '\r' or '\n' or '\0' || IsControl(c) : IsControl(c) && c is not ('\n' or '\r' or '\t');

    private static bool IsControl(char c) => c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0);
}
