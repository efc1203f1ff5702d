using System.Text;

namespace SocketLab.Core.Text;

/// <summary>Decodes each invalid byte as the four characters <c>\xNN</c>.</summary>
internal sealed class HexEscapeDecoderFallback : DecoderFallback
{
    public static readonly HexEscapeDecoderFallback Instance = new();

    public override int MaxCharCount => 4 * 4;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

    private sealed class Buffer : DecoderFallbackBuffer
    {
        private readonly char[] _chars = new char[64];
        private int _count;
        private int _next;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            if (bytesUnknown.Length * 4 > _chars.Length)
                throw new ArgumentException("invalid sequence too long", nameof(bytesUnknown));
            _count = 0;
            _next = 0;
            foreach (byte b in bytesUnknown)
            {
                _chars[_count++] = '\\';
                _chars[_count++] = 'x';
                _chars[_count++] = "0123456789ABCDEF"[b >> 4];
                _chars[_count++] = "0123456789ABCDEF"[b & 0xF];
            }
            return _count > 0;
        }

        public override char GetNextChar() => _next < _count ? _chars[_next++] : '\0';

        public override bool MovePrevious()
        {
            if (_next == 0)
                return false;
            _next--;
            return true;
        }

        public override int Remaining => _count - _next;

        public override void Reset()
        {
            _count = 0;
            _next = 0;
        }
    }
}
