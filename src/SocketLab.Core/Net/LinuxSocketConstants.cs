namespace SocketLab.Core.Net;

/// <summary>
/// The Linux numbers SocketLab's own system calls and raw socket options use, named once
/// (from &lt;asm-generic/errno-base.h&gt;, &lt;asm-generic/socket.h&gt;, &lt;linux/in.h&gt;, &lt;sys/socket.h&gt;).
/// Errors that reach a user go through .NET's <see cref="System.Net.Sockets.SocketException"/> mapping, not a table here.
/// </summary>
internal static class LinuxSocketConstants
{
    /// <summary>EINTR: a signal interrupted the call; make it again.</summary>
    public const int Interrupted = 4;

    /// <summary>EAGAIN (= EWOULDBLOCK): nothing to read, or no room to write, right now.</summary>
    public const int WouldBlock = 11;

    /// <summary>MSG_DONTWAIT: this one recv/send does not block, whatever the socket's mode.</summary>
    public const int MsgDontWait = 0x40;

    /// <summary>MSG_NOSIGNAL: a send to a closed peer fails with EPIPE instead of raising SIGPIPE.</summary>
    public const int MsgNoSignal = 0x4000;

    /// <summary>SOL_SOCKET: the socket-level option level.</summary>
    public const int SolSocket = 1;

    /// <summary>SO_REUSEADDR alone (without SO_REUSEPORT, which .NET's ReuseAddress adds).</summary>
    public const int SoReuseAddr = 2;

    /// <summary>IPPROTO_IP: the IPv4 option level.</summary>
    public const int IpProtoIp = 0;

    /// <summary>IP_BIND_ADDRESS_NO_PORT: a bound source address gets its port at connect time, per destination.</summary>
    public const int IpBindAddressNoPort = 24;
}
