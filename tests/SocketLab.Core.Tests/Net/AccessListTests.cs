using System.Net;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tests.Net;

public class AccessListTests
{
    private static AccessList Build(string[] allow, string[] deny)
    {
        var list = new AccessList();
        foreach (string a in allow) { Assert.True(AccessList.TryParseEntry(a, out IPNetwork n)); list.Allow(n); }
        foreach (string d in deny) { Assert.True(AccessList.TryParseEntry(d, out IPNetwork n)); list.Deny(n); }
        return list;
    }

    [Theory]
    [InlineData("192.168.0.7", true)]
    [InlineData("192.168.1.7", false)]
    [InlineData("192.168.0.66", false)]   // denied inside the allowed range: deny wins
    [InlineData("::ffff:192.168.0.7", true)] // IPv4 through a dual-stack listener
    [InlineData("fd00::5", true)]
    [InlineData("fd01::5", false)]
    public void Allow_ranges_with_deny_exceptions(string address, bool permitted)
    {
        AccessList list = Build(["192.168.0.0/24", "fd00::/16"], ["192.168.0.66"]);
        Assert.Equal(permitted, list.Permits(IPAddress.Parse(address)));
    }

    [Fact]
    public void Deny_only_lets_everyone_else_in()
    {
        AccessList list = Build([], ["10.0.0.0/8"]);
        Assert.False(list.Permits(IPAddress.Parse("10.1.2.3")));
        Assert.True(list.Permits(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("bogus")]
    public void Bad_entries_are_refused(string entry) => Assert.False(AccessList.TryParseEntry(entry, out _));
}
