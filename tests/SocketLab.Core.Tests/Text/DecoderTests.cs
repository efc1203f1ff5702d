using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public class DecoderTests
{
    private const string Sample = "hello mPython,你好，掌控板！é ß € 😀 かな 한글";

    [Theory]
    [InlineData("utf-8")]
    [InlineData("gbk")]
    [InlineData("gb18030")]
    [InlineData("big5")]
    [InlineData("shift_jis")]
    public void A_byte_the_encoding_has_no_character_for_is_shown_in_every_encoding(string encodingName)
    {
        // Windows code pages turn a lone 0xFF into an invisible private-use character; it must read \xFF.
        var decoder = new StreamTextDecoder(TextEncodings.Get(encodingName));
        Assert.Equal("A\\xFFB", decoder.Decode([(byte)'A', 0xFF, (byte)'B']) + decoder.Flush());
        var replacing = new StreamTextDecoder(TextEncodings.Get(encodingName), InvalidBytes.Replace);
        Assert.Equal("A\uFFFDB", replacing.Decode([(byte)'A', 0xFF, (byte)'B']) + replacing.Flush());
    }

    [Theory]
    [InlineData("utf-8", Sample)]
    [InlineData("gbk", "hello 你好，掌控板！ABC")]
    [InlineData("gb18030", "hello 你好，掌控板！€ 😀")]
    [InlineData("big5", "hello 你好，中文字")]
    [InlineData("shift_jis", "hello かなカナ漢字")]
    public void Every_split_point_of_every_sequence_shows_whole_characters(string encodingName, string text)
    {
        Encoding encoding = TextEncodings.Get(encodingName);
        byte[] bytes = encoding.GetBytes(text);
        Assert.Equal(text, encoding.GetString(bytes)); // The sample is representable.

        for (int split = 0; split <= bytes.Length; split++)
        {
            var decoder = new StreamTextDecoder(encoding);
            string first = decoder.Decode(bytes.AsSpan(0, split));
            string second = decoder.Decode(bytes.AsSpan(split));
            Assert.Equal(text, first + second + decoder.Flush());
            Assert.DoesNotContain("\\x", first);
            Assert.DoesNotContain("\uFFFD", first);
        }
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("gbk")]
    public void Byte_by_byte_delivery_still_decodes(string encodingName)
    {
        Encoding encoding = TextEncodings.Get(encodingName);
        string text = "掌控板 OLED 显示：你好";
        byte[] bytes = encoding.GetBytes(text);
        var decoder = new StreamTextDecoder(encoding);
        var sb = new StringBuilder();
        foreach (byte b in bytes)
            sb.Append(decoder.Decode([b]));
        Assert.Equal(text, sb.ToString());
    }

    [Fact]
    public void Invalid_utf8_is_shown_as_escapes_or_replacement()
    {
        byte[] bytes = [0x61, 0xFF, 0x62, 0xC3, 0x28, 0x63];
        Assert.Equal("a\\xFFb\\xC3(c", new StreamTextDecoder(Encoding.UTF8, InvalidBytes.Escape).Decode(bytes));
        Assert.Equal("a\uFFFDb\uFFFD(c", new StreamTextDecoder(Encoding.UTF8, InvalidBytes.Replace).Decode(bytes));
    }

    [Fact]
    public void A_truncated_character_at_end_of_stream_is_shown_as_invalid()
    {
        var decoder = new StreamTextDecoder(Encoding.UTF8);
        Assert.Equal("a", decoder.Decode([0x61, 0xE4, 0xBD]));
        Assert.Equal("\\xE4\\xBD", decoder.Flush());
    }

    [Fact]
    public void Invalid_gbk_lead_byte_is_visible()
    {
        var decoder = new StreamTextDecoder(TextEncodings.Get("gbk"));
        string text = decoder.Decode([0x41, 0x81, 0x20, 0x42]) + decoder.Flush();
        Assert.StartsWith("A", text);
        Assert.EndsWith("B", text);
        Assert.Contains("\\x81", text);
    }

    [Theory]
    [InlineData("UTF8")]
    [InlineData("cp936")]
    [InlineData("Shift-JIS")]
    [InlineData("latin1")]
    [InlineData("ascii")]
    public void Encoding_names_are_forgiving(string name) => Assert.True(TextEncodings.TryGet(name, out _));

    [Fact]
    public void Unknown_encoding_is_refused() => Assert.False(TextEncodings.TryGet("klingon", out _));
}
