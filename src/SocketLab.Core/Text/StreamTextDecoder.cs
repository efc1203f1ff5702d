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

    public StreamTextDecoder(Encoding encoding, InvalidBytes invalid = InvalidBytes.Escape)
    {
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
        return count == 0 ? string.Empty : new string(_chars, 0, count);
    }
}
