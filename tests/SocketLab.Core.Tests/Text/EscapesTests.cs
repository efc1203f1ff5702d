using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public sealed class EscapesTests
{
    [Fact]
    public void Escapes_become_bytes_and_xNN_is_one_raw_byte_whatever_the_encoding()
    {
        Assert.True(Escapes.TryDecode(@"a\r\n\t\0\\\""\xff你", Encoding.UTF8, out byte[]? bytes, out _));
        Assert.Equal([(byte)'a', 13, 10, 9, 0, (byte)'\\', (byte)'"', 0xff, 0xe4, 0xbd, 0xa0], bytes);
        Assert.True(Escapes.TryDecode("你", TextEncodings.Get("gb18030"), out bytes, out _));
        Assert.Equal(2, bytes.Length);
    }

    [Fact]
    public void Unicode_escapes_are_characters_in_the_chosen_encoding()
    {
        Assert.True(Escapes.TryDecode(@"25\u2103", Encoding.UTF8, out byte[]? bytes, out _));
        Assert.Equal("25℃"u8.ToArray(), bytes);
        Assert.True(Escapes.TryDecode(@"\u4F60", TextEncodings.Get("gbk"), out bytes, out _));
        Assert.Equal(new byte[] { 0xc4, 0xe3 }, bytes);
    }

    [Theory]
    [InlineData(@"end\", "lone")]
    [InlineData(@"\q", "unknown escape")]
    [InlineData(@"\xZ1", "'\\x' at position 1 needs two hex digits")]
    [InlineData(@"ab\u12", "'\\u' at position 3 needs four hex digits")]
    [InlineData(@"ok\q", "unknown escape '\\q' at position 3")]
    public void Bad_escapes_are_refused(string text, string message)
    {
        Assert.False(Escapes.TryDecode(text, Encoding.UTF8, out _, out string? error));
        Assert.Contains(message, error);
    }
}
