using System.Net;
using SocketLab.Core.Bench;
using SocketLab.Core.Udp;
using SocketLab.Tests.Shared;

namespace SocketLab.Core.Tests.Bench;

public class UdpEchoBenchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static BenchOptions Short(IPEndPoint target) => new()
    {
        Target = target,
        Udp = true,
        Connections = 4,
        Size = 100,
        Warmup = TimeSpan.FromMilliseconds(200),
        Duration = TimeSpan.FromMilliseconds(800),
        SampleInterval = TimeSpan.FromMilliseconds(100),
    };

    private static async Task<UdpEndpoint> EchoAsync()
    {
        var echo = new UdpEndpoint(new UdpEndpointOptions { BindAddress = IPAddress.Loopback, Port = 0, Echo = true }, new NoObserver());
        echo.Start();
        return await Task.FromResult(echo);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(1, 512)]
    [InlineData(8, 1400)]
    [InlineData(1, 65_507)] // Two at a time: more would overflow the echo's receive buffer, a real loss.
    public async Task Against_the_udp_echo_every_datagram_comes_back_checked_and_none_is_lost(int depth, int size)
    {
        await using UdpEndpoint echo = await EchoAsync();
        BenchResult r = await EchoBench.RunAsync(Short(echo.LocalEndPoint) with { Depth = depth, Size = size, Connections = size > 10_000 ? 2 : 4 }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError ?? r.Mismatch?.ToString());
        DatagramCounts d = Assert.IsType<DatagramCounts>(r.Datagrams);
        Assert.True(d.Lost == 0, d.ToString());
        Assert.True(d.Echoed > 0);
        Assert.Equal(r.Messages, d.Echoed);
        Assert.Equal(r.Messages * size, r.Bytes);
        Assert.Equal(r.Messages, r.Latency.TotalCount);
        Assert.InRange(d.Sent, d.Echoed, d.Echoed + 4 * depth); // Only those in flight at the ends differ.
        Assert.Equal(0, d.Lost);
        Assert.Equal(0, d.Duplicated);
        Assert.Equal(0, d.Late);
        Assert.Null(r.Mismatch);
        Assert.Equal(0, r.Errors);
        Assert.True(r.LatencyMicros(50) > 0);
    }

    [Fact]
    public async Task A_server_that_drops_every_tenth_datagram_shows_ten_percent_loss_which_fails_only_with_max_loss()
    {
        using var echo = FaultyUdpEcho.Dropping(10);
        BenchResult r = await EchoBench.RunAsync(Short(echo.EndPoint) with { Depth = 16, Timeout = TimeSpan.FromMilliseconds(250), Duration = TimeSpan.FromSeconds(1) }).WaitAsync(Limit);

        DatagramCounts d = Assert.IsType<DatagramCounts>(r.Datagrams);
        Assert.True(d.Lost > 0);
        Assert.True(d.LossPercent is > 6 and < 14, d.ToString());
        Assert.Equal(0, d.Duplicated);
        Assert.True(r.Ok, "loss alone is not an error");
        Assert.True((r with { Options = r.Options with { MaxLossPercent = 1 } }).LossExceeded);
        Assert.False((r with { Options = r.Options with { MaxLossPercent = 1 } }).Ok);
        Assert.True((r with { Options = r.Options with { MaxLossPercent = 20 } }).Ok);
    }

    [Fact]
    public async Task A_server_that_flips_one_byte_fails_the_run_at_once_naming_the_datagram_and_byte()
    {
        using var echo = FaultyUdpEcho.Corrupting(datagram: 300, at: 20);
        BenchResult r = await EchoBench.RunAsync(Short(echo.EndPoint) with { Duration = TimeSpan.FromSeconds(20) }).WaitAsync(Limit);

        Assert.False(r.Ok);
        EchoMismatch m = Assert.IsType<EchoMismatch>(r.Mismatch);
        Assert.NotNull(m.Datagram);
        Assert.Equal(20, m.StreamOffset);
        Assert.Equal((byte)(m.Expected ^ 0xFF), m.Got);
        Assert.Matches(@"^socket \d got 0x[0-9a-f]{2} instead of 0x[0-9a-f]{2} at byte 20 of datagram \d+$", m.ToString());
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(10), "a corrupt echo ends the run early");
    }

    [Fact]
    public async Task A_flipped_sequence_number_is_caught_too()
    {
        using var echo = FaultyUdpEcho.Corrupting(datagram: 100, at: 7); // The top byte of the number.
        BenchResult r = await EchoBench.RunAsync(Short(echo.EndPoint) with { Duration = TimeSpan.FromSeconds(20) }).WaitAsync(Limit);

        EchoMismatch m = Assert.IsType<EchoMismatch>(r.Mismatch);
        Assert.Contains("which it never sent", m.ToString());
    }

    [Fact]
    public async Task Duplicated_echoes_are_counted_and_are_not_losses()
    {
        using var echo = FaultyUdpEcho.Duplicating();
        BenchResult r = await EchoBench.RunAsync(Short(echo.EndPoint) with { Depth = 4 }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError ?? r.Mismatch?.ToString());
        DatagramCounts d = Assert.IsType<DatagramCounts>(r.Datagrams);
        Assert.True(d.Lost == 0, d.ToString());
        Assert.InRange(d.Duplicated, d.Echoed - 20, d.Echoed + 20);
    }

    [Fact]
    public async Task Echoes_that_come_back_swapped_are_counted_reordered_and_still_echoed()
    {
        using var echo = FaultyUdpEcho.Swapping();
        BenchResult r = await EchoBench.RunAsync(Short(echo.EndPoint) with { Connections = 1, Depth = 4 }).WaitAsync(Limit);

        Assert.True(r.Ok, r.FirstError ?? r.Mismatch?.ToString());
        DatagramCounts d = Assert.IsType<DatagramCounts>(r.Datagrams);
        Assert.True(d.Lost == 0 && d.Late == 0 && d.Duplicated == 0, d.ToString());
        Assert.InRange(d.Reordered, d.Echoed / 2 - 2, d.Echoed / 2 + 2); // One of each pair.
    }

    private sealed class NoObserver : IUdpObserver;
}
