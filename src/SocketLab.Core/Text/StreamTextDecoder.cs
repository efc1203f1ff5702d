using System.Text;

namespace SocketLab.Core.Text;

/// <summary>
/// Turns one direction of one connection into text. It keeps the bytes of a character split
/// across two reads until the rest arrives, so the character is shown whole; invalid bytes are
/// shown visibly (see <see cref="InvalidBytes"/>). It only reads bytes: what is echoed never changes.
/// </summary>
public sealed class StreamTextDecoder
{
    private readonly Decoder _decoder;
    private char[] _chars = new char[256];

    private readonly InvalidBytes _invalid;

    public StreamTextDecoder(Encoding encoding, InvalidBytes invalid = InvalidBytes.Escape)
    {
        _invalid = invalid;
        var e = (Encoding)encoding.Clone();
        e.DecoderFallback = invalid == InvalidBytes.Escape ? HexEscapeDecoderFallback.Instance : new DecoderReplacementFallback("\uFFFD");
        Encoding = e;
        _decoder = e.GetDecoder();
    }

    public Encoding Encoding { get; }

    /// <summary>Decodes the next chunk; an incomplete trailing character is held for the next call.</summary>
    public string Decode(ReadOnlySpan<byte> bytes) => DecodeCore(bytes, flush: false);

    /// <summary>End of stream: a held incomplete character is shown as invalid bytes.</summary>
    public string Flush() => DecodeCore([], flush: true);

    private string DecodeCore(ReadOnlySpan<byte> bytes, bool flush)
    {
        int needed = _decoder.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        int count = _decoder.GetChars(bytes, _chars, flush);
        if (count == 0)
            return string.Empty;
        ReadOnlySpan<char> text = _chars.AsSpan(0, count);
        return text.IndexOfAnyInRange(PrivateUseFirst, PrivateUseLast) < 0 ? new string(text) : ShowUndefinedBytes(text);
    }

    private const char PrivateUseFirst = '\uE000', PrivateUseLast = '\uF8FF';

    /// <summary>
    /// Windows code pages (GBK, Big5, Shift-JIS) do not call the fallback for a lone byte they have no
    /// character for (0xFF, Shift-JIS's 0xFD–0xFF): they decode it to a private-use character that no
    /// font shows, so "A\xFFB" would read "AB". Such a character that encodes back to one byte was that
    /// byte: it is shown as <c>\xNN</c> (or U+FFFD) like any other invalid byte.
    /// </summary>
    private string ShowUndefinedBytes(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length + 8);
        Span<byte> one = stackalloc byte[8];
        foreach (char c in text)
        {
            if (c is >= PrivateUseFirst and <= PrivateUseLast && Encoding.GetByteCount([c]) == 1 && Encoding.GetBytes([c], one) == 1 && one[0] >= 0x80)
            {
                if (_invalid == InvalidBytes.Escape)
                    sb.Append("\\x").Append(one[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                else
                    sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
