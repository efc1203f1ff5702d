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

    [Theory]
    [InlineData(@"end\", "lone")]
    [InlineData(@"\q", "unknown escape")]
    [InlineData(@"\xZ1", "unknown escape")]
    public void Bad_escapes_are_refused(string text, string message)
    {
        Assert.False(Escapes.TryDecode(text, Encoding.UTF8, out _, out string? error));
        Assert.Contains(message, error);
    }
}
