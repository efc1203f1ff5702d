using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public class FormattingTests
{
    [Fact]
    public void Hex_dump_matches_hexdump_C_layout()
    {
        string dump = HexDump.Format("hello mPython,I am TCP Client"u8, offset: 16);
        string[] lines = dump.Split('\n');
        Assert.Equal("00000010  68 65 6c 6c 6f 20 6d 50  79 74 68 6f 6e 2c 49 20  |hello mPython,I |", lines[0]);
        Assert.Equal("00000020  61 6d 20 54 43 50 20 43  6c 69 65 6e 74           |am TCP Client|", lines[1]);
    }

    [Theory]
    [InlineData("01ae", new byte[] { 0x01, 0xAE })]
    [InlineData("01 AE ff", new byte[] { 0x01, 0xAE, 0xFF })]
    [InlineData("0x01,0xae", new byte[] { 0x01, 0xAE })]
    [InlineData("de:ad:be:ef", new byte[] { 0xDE, 0xAD, 0xBE, 0xEF })]
    [InlineData("", new byte[0])]
    public void Hex_input_in_common_spellings(string text, byte[] expected)
    {
        Assert.True(HexParser.TryParse(text, out byte[]? bytes, out _));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("0g", "not a hex digit: 'g' at position 2")]
    [InlineData("abc", "odd number of hex digits (3); every byte needs two")]
    public void Bad_hex_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(HexParser.TryParse(text, out _, out string? error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Terminal_control_sequences_from_a_peer_are_defused()
    {
        Assert.Equal("a\\x1B[2Jb\tc\n", VisibleText.Render("a\u001b[2Jb\tc\n", showEol: false));
        Assert.Equal("plain", VisibleText.Render("plain", showEol: false));
    }

    [Fact]
    public void A_cr_that_would_overwrite_the_line_and_bidi_controls_are_escaped_unless_raw()
    {
        string fake = "innocent\r14:00:00.000 #99 ('10.6.6.6', 666) connected";
        Assert.Equal("innocent\\x0D14:00:00.000 #99 ('10.6.6.6', 666) connected", VisibleText.Render(fake, showEol: false));
        Assert.Equal(fake, VisibleText.Render(fake, showEol: false, raw: true));
        // A CR that ends a line (before LF, or last) overwrites nothing and stays.
        Assert.Equal("AT\r\nOK\r", VisibleText.Render("AT\r\nOK\r", showEol: false));
        foreach (char c in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C")
        {
            Assert.Equal($"a\\u{(int)c:X4}b", VisibleText.Render($"a{c}b", showEol: false));
            Assert.Equal($"a{c}b", VisibleText.Render($"a{c}b", showEol: false, raw: true));
        }
        Assert.Equal("invoice\\u202Etxt.exe", VisibleText.OneLine("invoice\u202Etxt.exe"));
        Assert.Equal("a\\rb", VisibleText.OneLine("a\rb"));
    }

    [Fact]
    public void Show_eol_makes_line_endings_and_nul_visible()
    {
        Assert.Equal("AT␍␊\nOK␀", VisibleText.Render("AT\r\nOK\0", showEol: true));
    }

    [Fact]
    public void Line_endings_are_the_bytes_users_expect()
    {
        Assert.Equal(""u8.ToArray(), LineEnding.None.Bytes().ToArray());
        Assert.Equal("\r"u8.ToArray(), LineEnding.Cr.Bytes().ToArray());
        Assert.Equal("\n"u8.ToArray(), LineEnding.Lf.Bytes().ToArray());
        Assert.Equal("\r\n"u8.ToArray(), LineEnding.CrLf.Bytes().ToArray());
    }
}
