using System.Net;
using System.Net.Sockets;
using SocketLab.Tests.Infrastructure;

namespace SocketLab.Tests.Commands;

/// <summary>
/// A port in use, or an address not on this machine: the one line names the option of the command that was run
/// (relay and replay take --listen, bridge a tcp-listen: endpoint, udp send --local-port), never another command's --port.
/// </summary>
public sealed class ListenHintTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private const string InUse = "address already in use (another program is listening there; ";
    private readonly string _dir = Directory.CreateTempSubdirectory("socketlab-listen-hint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Transcript() => SmallTranscripts.WriteEcho(Path.Combine(_dir, "one.jsonl"));

    private string[] Listening(string command, string where) => command switch
    {
        "relay" => ["relay", "--listen", where, "--to", "127.0.0.1:9"],
        "replay" => ["replay", Transcript(), "--listen", where],
        "replay -k" => ["replay", Transcript(), "--listen", where, "--keep-open"],
        _ => ["bridge", $"tcp-listen:{where}", "udp:127.0.0.1:9"], // UDP connects without a peer: the listening end decides.
    };

    [Theory]
    [InlineData("relay", "pick another port for --listen")]
    [InlineData("replay", "pick another port for --listen")]
    [InlineData("replay -k", "pick another port for --listen")]
    [InlineData("bridge", "pick another port for tcp-listen:PORT")]
    public async Task A_port_in_use_names_the_commands_own_listen_option_and_is_exit_3(string command, string hint)
    {
        using Socket taken = RawPeer.Listen();
        string where = $"127.0.0.1:{RawPeer.PortOf(taken)}";
        (int code, string stdout, string stderr) = await CliProcess.RunAsync(Wait, Listening(command, where));
        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Equal($"socketlab: cannot listen on {where}: {InUse}{hint})", stderr.Trim());
        Assert.DoesNotContain("--port", stderr);
        Assert.Equal("", stdout.Trim());
    }

    [Theory]
    [InlineData("relay", "check the address given to --listen")]
    [InlineData("replay", "check the address given to --listen")]
    [InlineData("bridge", "check the address in tcp-listen:ADDR:PORT")]
    public async Task An_address_not_on_this_machine_names_the_commands_own_listen_option_and_is_exit_10(string command, string hint)
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, Listening(command, "203.0.113.7:0"));
        Assert.True(code == 10, $"exit {code}: {stderr}");
        Assert.Equal($"socketlab: cannot listen on 203.0.113.7:0: address not available on this machine ({hint})", stderr.Trim());
    }

    [Fact]
    public async Task Udp_send_from_a_local_port_in_use_names_local_port_and_is_exit_3()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Any, 0));
        int port = RawPeer.PortOf(taken);
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "127.0.0.1", "9", "x", "--local-port", port.ToString());
        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Equal($"socketlab: cannot bind UDP 0.0.0.0:{port}: {InUse}pick another --local-port, or leave it out for any free port)", stderr.Trim());
    }

    [Fact]
    public async Task Udp_send_to_an_ipv6_address_with_an_ipv4_group_says_to_send_to_an_ipv4_address()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "send", "::1", "9", "x", "--join", "239.1.2.3");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Equal("socketlab: cannot join multicast group 239.1.2.3: an IPv4 group cannot be joined on an IPv6 socket; send to an IPv4 address to join an IPv4 group", stderr.Trim());
    }

    [Fact]
    public async Task Udp_listen_on_an_ipv6_address_with_an_ipv4_group_says_bind()
    {
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "udp", "listen", "--port", "0", "--bind", "::1", "--join", "239.1.2.3");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Equal("socketlab: cannot join multicast group 239.1.2.3: an IPv4 group cannot be joined on an IPv6 socket; bind an IPv4 address (e.g. --bind 0.0.0.0)", stderr.Trim());
    }

    [Fact]
    public async Task Server_still_says_port()
    {
        using Socket taken = RawPeer.Listen();
        (int code, _, string stderr) = await CliProcess.RunAsync(Wait, "server", "--bind", "127.0.0.1", "--port", RawPeer.PortOf(taken).ToString());
        Assert.Equal(3, code);
        Assert.Equal($"socketlab: cannot listen on 127.0.0.1:{RawPeer.PortOf(taken)}: {InUse}pick another --port)", stderr.Trim());
    }
}
