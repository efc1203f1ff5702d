using System.Text;
using SocketLab.Core.Text;
using SocketLab.Web.Sessions;

namespace SocketLab.Web.Tests.Sessions;

public sealed class SessionLogTests
{
    [Fact]
    public void The_ring_keeps_the_newest_entries_and_sequence_numbers_keep_counting()
    {
        var log = new SessionLog(3);
        for (int i = 1; i <= 5; i++)
            log.Append(LogDirection.Rx, "p", [(byte)i], i.ToString(), 1);
        Assert.Equal(["3", "4", "5"], log.All().Select(e => e.Text));
        Assert.Equal(["4", "5"], log.Tail(2).Select(e => e.Text));
        log.Clear();
        Assert.Empty(log.All());
        Assert.Equal(6, log.Append(LogDirection.Info, "", [], "x", 0).Seq);
    }

    [Theory]
    [InlineData("你好", false, "none", "utf-8", "e4 bd a0 e5 a5 bd")]
    [InlineData("你好", false, "crlf", "gbk", "c4 e3 ba c3 0d 0a")]
    [InlineData("0x01, 0xAE", true, "lf", null, "01 ae 0a")]
    [InlineData("", false, "cr", null, "0d")]
    public void Send_requests_build_the_exact_bytes(string data, bool hex, string eol, string? encoding, string expected)
    {
        var r = new SendRequest { Data = data, Hex = hex, Eol = eol, Encoding = encoding };
        Assert.True(r.TryBuild(Encoding.UTF8, out byte[] bytes, out Notice? error), error?.Text);
        Assert.Equal(expected, HexDump.Pairs(bytes));
    }

    [Theory]
    [InlineData("0g", true, "none", null, "badHexDigit", "bad hex: not a hex digit: 'g' at position 2")]
    [InlineData("abc", true, "none", null, "badHexOdd", "bad hex: odd number of hex digits (3); every byte needs two")]
    [InlineData("x", false, "crlf2", null, "badEol", "unknown line ending 'crlf2' (use none, cr, lf or crlf)")]
    [InlineData("x", false, "none", "klingon", "unknownEncoding", "unknown encoding 'klingon'")]
    [InlineData("", false, "none", null, "nothingToSend", "nothing to send")]
    public void Bad_send_requests_are_refused_with_a_code_and_a_message(string data, bool hex, string eol, string? encoding, string code, string expected)
    {
        var r = new SendRequest { Data = data, Hex = hex, Eol = eol, Encoding = encoding };
        Assert.False(r.TryBuild(Encoding.UTF8, out _, out Notice? error));
        Assert.Equal(code, error.Code);
        Assert.StartsWith(expected, error.Text);
    }
}
