namespace SocketLab.Cli;

/// <summary>
/// What to change when a command cannot listen (or bind) where it was told, worded with that command's own option:
/// <c>server</c>, <c>udp listen</c> and <c>ui</c> take --port and --bind, <c>relay</c> and <c>replay</c> one
/// --listen [ADDR:]PORT, <c>bridge</c> a tcp-listen:[ADDR:]PORT endpoint, <c>udp send</c> a --local-port.
/// </summary>
/// <param name="TakenPort">For "address already in use".</param>
/// <param name="MissingAddress">For "address not available on this machine"; null when the command chooses no address.</param>
/// <param name="Ipv4Socket">For an IPv4 multicast group on an IPv6 socket: how this command gets an IPv4 one.</param>
public sealed record ListenHint(string TakenPort, string? MissingAddress, string? Ipv4Socket = null)
{
    public static readonly ListenHint PortAndBind = new("pick another --port", "check --bind", "bind an IPv4 address (e.g. --bind 0.0.0.0)");
    public static readonly ListenHint Listen = new("pick another port for --listen", "check the address given to --listen");
    public static readonly ListenHint TcpListen = new("pick another port for tcp-listen:PORT", "check the address in tcp-listen:ADDR:PORT");

    /// <summary><c>udp send</c>: its socket's family follows the address it sends to.</summary>
    public static readonly ListenHint LocalPort = new("pick another --local-port, or leave it out for any free port", null, "send to an IPv4 address to join an IPv4 group");
}
