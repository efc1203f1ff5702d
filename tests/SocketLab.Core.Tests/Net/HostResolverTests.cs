using System.Net;
using System.Net.Sockets;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tests.Net;

public class HostResolverTests
{
    [Theory]
    [InlineData("192.168.0.2", "192.168.0.2")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData("::ffff:10.0.0.7", "10.0.0.7")]
    public async Task Literals_are_taken_as_they_are(string host, string address) =>
        Assert.Equal(IPAddress.Parse(address), await HostResolver.ResolveAsync(host));

    [Fact]
    public async Task Names_resolve_with_IPv4_first()
    {
        IPAddress[] all = await HostResolver.ResolveAllAsync("localhost");
        Assert.Equal(IPAddress.Loopback, all[0]);
        // Every IPv4 address comes before every IPv6 one.
        int lastV4 = Array.FindLastIndex(all, a => a.AddressFamily == AddressFamily.InterNetwork);
        int firstV6 = Array.FindIndex(all, a => a.AddressFamily == AddressFamily.InterNetworkV6);
        Assert.True(firstV6 < 0 || firstV6 > lastV4, string.Join(", ", all.Select(a => a.ToString())));
    }

    [Fact]
    public async Task An_unknown_host_says_for_what_it_was_looked_up()
    {
        var ex = await Assert.ThrowsAsync<NetworkException>(() => HostResolver.ResolveAsync("no-such-host.invalid", default, NetworkOperation.Send, "no-such-host.invalid"));
        Assert.Equal(NetworkErrorKind.UnknownHost, ex.Kind);
        Assert.Equal(NetworkOperation.Send, ex.Operation);
        Assert.Equal("cannot send to no-such-host.invalid: unknown host 'no-such-host.invalid'", ex.Message);

        var plain = await Assert.ThrowsAsync<NetworkException>(() => HostResolver.ResolveAsync("no-such-host.invalid"));
        Assert.Equal(NetworkOperation.Resolve, plain.Operation);
        Assert.Equal("no-such-host.invalid", plain.Address);
    }
}
