using System.Text;
using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public sealed class MacroTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 14, 5, 9, 123, TimeSpan.Zero);

    private static byte[] Build(string text, MacroContext ctx, bool hex = false, bool escapes = false) =>
        new Payload(Encoding.UTF8, hex, escapes, Macros: ctx).TryBuild(text, out byte[]? b, out _, out string? e) ? b : throw new InvalidOperationException(e);

    [Fact]
    public void Counters_count_per_start_and_step_and_times_use_the_clock()
    {
        var ctx = new MacroContext(() => At);
        Assert.Equal("n=1 t=14:05:09", Encoding.UTF8.GetString(Build("n={{counter}} t={{time}}", ctx)));
        Assert.Equal("n=2 m=100", Encoding.UTF8.GetString(Build("n={{counter}} m={{counter:100,10}}", ctx)));
        Assert.Equal("m=110 14:05:09.123 1796133909123", Encoding.UTF8.GetString(Build("m={{counter:100,10}} {{time:HH:mm:ss.fff}} {{unix_ms}}", ctx)));
    }

    [Fact]
    public void Raw_byte_fields_insert_their_bytes_in_text_and_hex_alike()
    {
        var ctx = new MacroContext(() => At);
        Assert.Equal(new byte[] { (byte)'A', 0x01, 0xFF, (byte)'B' }, Build("A{{hex:01 ff}}B", ctx));
        Assert.Equal(new byte[] { 0x01, 0x03, 0x01, 0xFF, 0x0A }, Build("01 03 {{hex:01 ff}} 0A", ctx, hex: true));
        Assert.Equal(8, Build("{{random:8}}", ctx).Length);
        Assert.NotEqual(Build("{{random:16}}", ctx), Build("{{random:16}}", ctx));
        string file = Path.GetTempFileName();
        File.WriteAllBytes(file, [0x00, 0x10, 0x20]);
        Assert.Equal(new byte[] { (byte)'[', 0x00, 0x10, 0x20, (byte)']' }, Build("[{{file:" + file + "}}]", ctx));
        File.Delete(file);
        // Escapes in the pieces between fields still work.
        Assert.Equal("a\r\n1", Encoding.UTF8.GetString(Build(@"a\r\n{{counter}}", ctx, escapes: true)));
    }

    [Theory]
    [InlineData("x {{nope}}", "{{nope}} at position 3: unknown field")]
    [InlineData("{{random:0}}", "with N from 1 to 65536")]
    [InlineData("{{counter:a}}", "{{counter:START,STEP}}")]
    [InlineData("{{hex:0g}}", "bad hex: not a hex digit: 'g'")]
    [InlineData("{{file:/no/such/file}}", "/no/such/file")]
    [InlineData("{{time:%}}", "")]
    public void Bad_fields_are_refused_with_where_and_why(string text, string message)
    {
        bool ok = new Payload(Encoding.UTF8, Macros: new MacroContext()).TryBuild(text, out _, out PayloadError kind, out string? error);
        if (text == "{{time:%}}")
        {
            // .NET accepts most format strings; a lone % is one it refuses.
            Assert.False(ok);
            Assert.Equal(PayloadError.BadMacro, kind);
            return;
        }
        Assert.False(ok);
        Assert.Equal(PayloadError.BadMacro, kind);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Without_a_context_braces_are_just_text()
    {
        Assert.True(new Payload(Encoding.UTF8).TryBuild("{{counter}}", out byte[]? b, out _, out _));
        Assert.Equal("{{counter}}"u8.ToArray(), b);
    }
}
