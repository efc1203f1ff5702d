using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500_000)]
    [InlineData("2s", 2_000_000)]
    [InlineData("1.5m", 90_000_000)]
    [InlineData("3", 3_000_000)]
    [InlineData("200us", 200)]
    [InlineData("50µs", 50)]
    [InlineData("0", 0)]
    public void Parses_ncat_style_times_and_microseconds(string text, long microseconds)
    {
        Assert.True(Durations.TryParse(text, out TimeSpan value));
        Assert.Equal(microseconds, (long)Math.Round(value.TotalMicroseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("us")]
    [InlineData("5 parsecs")]
    public void Refuses_what_is_not_a_time(string text) => Assert.False(Durations.TryParse(text, out _));
}
