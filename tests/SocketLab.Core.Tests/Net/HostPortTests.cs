using SocketLab.Core.Net;

namespace SocketLab.Core.Tests.Net;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("127.0.0.1:5001", "127.0.0.1", 5001)]
    [InlineData("localhost:1", "localhost", 1)]
    [InlineData("[::1]:6000", "::1", 6000)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out HostPort? hp, out _));
        Assert.Equal(new HostPort(host, port), hp);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1:80")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData(":80")]
    public void Refuses_what_is_not_host_colon_port(string text)
    {
        Assert.False(HostPort.TryParse(text, out _, out string? error));
        Assert.NotEmpty(error);
    }
}
