using System.Net;
using SocketLab.Core.Net;

namespace SocketLab.Core.Tests.Net;

public class EndpointTextTests
{
    [Fact]
    public void A_wildcard_listener_shows_a_LAN_address_first_and_loopback_only_when_there_is_none()
    {
        IReadOnlyList<IPAddress> all = EndpointText.ReachableAddresses(IPAddress.Any);
        Assert.NotEmpty(all);
        IPAddress shown = EndpointText.ReachableAddress(IPAddress.Any);
        Assert.Equal(all[0], shown);
        Assert.Equal(all.Any(a => !IPAddress.IsLoopback(a)), !IPAddress.IsLoopback(shown));
        Assert.Equal(shown, EndpointText.ReachableAddress(IPAddress.IPv6Any));
    }

    [Fact]
    public void A_listener_on_one_address_shows_that_address_plainly()
    {
        Assert.Equal("127.0.0.1:5001", EndpointText.ReachableHostPort(new IPEndPoint(IPAddress.Loopback, 5001)));
        Assert.Equal("10.0.0.7:80", EndpointText.ReachableHostPort(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.7"), 80)));
        Assert.Equal("[::1]:5001", EndpointText.ReachableHostPort(new IPEndPoint(IPAddress.IPv6Loopback, 5001)));
    }
}
