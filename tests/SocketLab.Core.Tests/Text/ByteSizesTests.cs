using SocketLab.Core.Text;

namespace SocketLab.Core.Tests.Text;

public class ByteSizesTests
{
    [Theory]
    [InlineData("32", 32)]
    [InlineData("0", 0)]
    [InlineData(" 512B ", 512)]
    [InlineData("64k", 65_536)]
    [InlineData("64K", 65_536)]
    [InlineData("64kb", 65_536)]
    [InlineData("64ki", 65_536)]
    [InlineData("64KiB", 65_536)]
    [InlineData("1M", 1_048_576)]
    [InlineData("10MiB", 10_485_760)]
    [InlineData("1G", 1_073_741_824)]
    [InlineData("1gib", 1_073_741_824)]
    [InlineData("1.5M", 1_572_864)]
    [InlineData("0.5k", 512)]
    [InlineData("0.3k", 307)]
    public void Parses_counts_with_binary_units_as_people_write_them(string text, long bytes)
    {
        Assert.True(ByteSizes.TryParse(text, out long value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("kib")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.5")]
    [InlineData("5i")]
    [InlineData("5ib")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData(".5k")]
    [InlineData("1,024")]
    [InlineData("5 parsecs")]
    [InlineData("1t")]
    [InlineData("99999999999999G")]
    public void Refuses_what_is_not_a_size(string text) => Assert.False(ByteSizes.TryParse(text, out _));

    [Fact]
    public void The_largest_count_fits_and_one_more_does_not()
    {
        Assert.True(ByteSizes.TryParse(long.MaxValue.ToString(), out long max));
        Assert.Equal(long.MaxValue, max);
        Assert.False(ByteSizes.TryParse("9223372036854775808", out _));
    }
}
