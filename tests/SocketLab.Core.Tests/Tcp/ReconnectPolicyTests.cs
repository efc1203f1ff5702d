using SocketLab.Core.Tcp;

namespace SocketLab.Core.Tests.Tcp;

public class ReconnectPolicyTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_connection_that_ends_at_once_keeps_backing_off()
    {
        var clock = new ManualClock();
        var policy = new ReconnectPolicy(First, TimeSpan.FromSeconds(30), time: clock, random: new Random(1));
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 6; i++)
        {
            policy.Connected();
            clock.Advance(TimeSpan.FromMilliseconds(10)); // Accepted, then closed at once.
            waits.Add(policy.Disconnected());
        }
        // Each ceiling doubles: the sixth wait is at least half of 100 ms · 2⁵.
        Assert.True(waits[^1] >= TimeSpan.FromMilliseconds(1600), string.Join(", ", waits));
    }

    [Fact]
    public void A_connection_that_lasted_starts_the_back_off_small_again()
    {
        var clock = new ManualClock();
        var policy = new ReconnectPolicy(First, TimeSpan.FromSeconds(30), time: clock, random: new Random(1));
        for (int i = 0; i < 6; i++)
            Assert.NotNull(policy.ConnectFailed());
        policy.Connected();
        clock.Advance(ReconnectPolicy.StableAfter);
        Assert.True(policy.Disconnected() <= First);
    }

    [Fact]
    public void It_gives_up_after_the_failures_in_a_row_it_allows_and_a_connection_resets_the_count()
    {
        var policy = new ReconnectPolicy(First, TimeSpan.FromSeconds(1), maxFailures: 3);
        Assert.NotNull(policy.ConnectFailed());
        Assert.NotNull(policy.ConnectFailed());
        policy.Connected();
        Assert.NotNull(policy.ConnectFailed());
        Assert.NotNull(policy.ConnectFailed());
        Assert.Null(policy.ConnectFailed());

        var forever = new ReconnectPolicy();
        Assert.All(Enumerable.Range(0, 50), _ => Assert.NotNull(forever.ConnectFailed()));
    }
}
