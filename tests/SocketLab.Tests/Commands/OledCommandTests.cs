using System.Buffers.Binary;
using System.Text.Json;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary><c>socketlab oled</c> as a real process.</summary>
public class OledCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Greeting = "hello mPython,I am TCP Client";

    [Fact]
    public async Task Prints_the_width_and_what_did_not_fit_and_writes_a_png()
    {
        string png = Path.Combine(Path.GetTempPath(), $"socketlab-oled-{Guid.NewGuid():N}.png");
        try
        {
            (int code, string stdout, string stderr) = await CliProcess.RunAsync(Timeout, "oled", Greeting, "-o", png, "--scale", "2");

            Assert.True(code == 0, stderr);
            string[] lines = stdout.Split('\n');
            Assert.Contains("width: 179", lines);
            Assert.Contains("shown: 20 of 29 characters", lines);
            Assert.Contains("not shown: \"CP Client\"", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith('┌'));
            byte[] bytes = await File.ReadAllBytesAsync(png);
            Assert.Equal("\u0089PNG\r\n\u001a\n", string.Concat(bytes[..8].Select(b => (char)b)));
            Assert.Equal((256, 128), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public async Task Without_an_output_file_it_draws_the_screen_with_half_blocks()
    {
        (int code, string stdout, _) = await CliProcess.RunAsync(Timeout, "oled", "你好，掌控板", "--y", "16");

        Assert.Equal(0, code);
        string[] lines = stdout.Split('\n');
        Assert.Contains("width: 71", lines);
        Assert.Contains("shown: 6 of 6 characters", lines);
        int top = Array.FindIndex(lines, l => l.StartsWith("┌─ mPython OLED", StringComparison.Ordinal));
        Assert.True(top >= 0, stdout);
        string[] screen = lines[(top + 1)..(top + 33)];
        Assert.All(screen, l => Assert.Equal(130, l.Length));
        Assert.All(screen[..8], l => Assert.Equal(new string(' ', 128), l[1..129]));   // y 0-15: blank
        Assert.Contains(screen[8..16], l => l[1..72].Trim().Length > 0);               // y 16-31: the text, 71 px
        Assert.All(screen[8..16], l => Assert.Equal(new string(' ', 57), l[72..129])); // right of it: blank
        Assert.StartsWith("└", lines[top + 33]);
    }

    [Fact]
    public async Task Json_gives_the_measurements_in_one_object()
    {
        (int code, string stdout, _) = await CliProcess.RunAsync(Timeout, "oled", "A\U0001F600B", "--json");

        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement o = doc.RootElement;
        Assert.Equal(14, o.GetProperty("width").GetInt32()); // A 6+1, B 7: the missing glyph adds nothing (B counts though off screen)
        Assert.Equal(3, o.GetProperty("characters").GetInt32());
        Assert.Equal(1, o.GetProperty("shown").GetInt32());
        Assert.Equal("\U0001F600B", o.GetProperty("not_shown").GetString());
        Assert.Equal("\U0001F600", o.GetProperty("no_glyph").GetString());
    }

    [Fact]
    public async Task Auto_return_wraps_the_greeting_onto_a_second_line()
    {
        // "-o -": the PNG goes to stdout, the measurements to stderr.
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Timeout, "oled", Greeting, "--auto-return", "-o", "-", "--json");

        Assert.Equal(0, code);
        Assert.Contains("PNG", stdout[..8]);
        Assert.Contains("IHDR", stdout);
        using JsonDocument doc = JsonDocument.Parse(stderr);
        Assert.Equal(29, doc.RootElement.GetProperty("shown").GetInt32());
        Assert.Equal(16, doc.RootElement.GetProperty("y").GetInt32());
    }

    [Theory]
    [InlineData("--mode", "bold", "--mode takes one of normal, rev, trans, xor")]
    [InlineData("--scale", "0", "--scale must be a whole number from 1 to 32")]
    [InlineData("--x", "many", "--x must be a whole number")]
    public async Task A_bad_option_is_one_line_and_exit_code_2(string option, string value, string message)
    {
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Timeout, "oled", "hi", option, value);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, Assert.Single(stderr.Split('\n')));
    }

    [Fact]
    public async Task A_file_that_is_not_a_guix_font_is_one_line_and_exit_code_2()
    {
        string font = Path.Combine(Path.GetTempPath(), $"socketlab-font-{Guid.NewGuid():N}.bin");
        await File.WriteAllTextAsync(font, "this is not a font");
        try
        {
            (int code, _, string stderr) = await CliProcess.RunAsync(Timeout, "oled", "hi", "--font", font);

            Assert.Equal(2, code);
            Assert.Contains("not a GUIX font", Assert.Single(stderr.Split('\n')));
        }
        finally
        {
            File.Delete(font);
        }
    }

    [Fact]
    public async Task A_missing_font_file_is_one_line_and_exit_code_2()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Timeout, "oled", "hi", "--font", "/nonexistent/font.guix");

        Assert.Equal(2, code);
        Assert.StartsWith("socketlab oled: --font /nonexistent/font.guix:", Assert.Single(stderr.Split('\n')));
    }
}
