using System.Net;
using SocketLab.Core.Net;

namespace SocketLab.Core.Bench;

/// <summary>What one echo bench run does; the defaults follow rust_echo_bench (50 connections, 512 B).</summary>
public sealed record BenchOptions
{
    public required IPEndPoint Target { get; init; }

    /// <summary>Echo datagrams over UDP instead of a TCP stream: each connection is then one UDP socket.</summary>
    public bool Udp { get; init; }

    /// <summary>UDP: how long a datagram's echo may take before the datagram counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>UDP: loss above this percentage makes the run fail; null = loss alone never fails it.</summary>
    public double? MaxLossPercent { get; init; }

    /// <summary>TLS for every TCP connection (ping-pong only); null = plain TCP.</summary>
    public Tls.TlsClientOptions? Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: the host name the certificate is checked against (and sent as SNI).</summary>
    public string TlsHost { get; init; } = "localhost";

    /// <summary>Connections that keep messages going during the run.</summary>
    public int Connections { get; init; } = 50;

    /// <summary>Bytes per message (UDP: per datagram, at least <see cref="EchoBench.UdpMinSize"/>).</summary>
    public int Size { get; init; } = 512;

    /// <summary>Messages in flight per connection: 1 = closed-loop ping-pong, more = pipelined.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>Load before measuring starts (JIT tiering, TCP windows, the server's pools).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Measured time.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra connections opened first that stay silent until the end, then must echo once.</summary>
    public int Idle { get; init; }

    /// <summary>Connects in progress at once, so a listen backlog is not flooded.</summary>
    public int ConnectConcurrency { get; init; } = 128;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long after the run outstanding echoes may take before they count as errors.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How the load is driven; <see cref="SocketEngine.Auto"/> picks epoll where it can.</summary>
    public SocketEngine Engine { get; init; } = SocketEngine.Auto;

    /// <summary>
    /// Open loop: messages per second for the whole run, spread over the connections, each sent at its
    /// intended time whatever the echoes do, and its latency counted from that time (wrk2's correction for
    /// coordinated omission). Null = closed loop: the next message goes when an echo comes back.
    /// </summary>
    public double? Rate { get; init; }

    /// <summary>Open loop: the rate climbs linearly from 0 to <see cref="Rate"/> over this time from the start of the load.</summary>
    public TimeSpan Ramp { get; init; }

    /// <summary>At most this many connects a second (null = as fast as <see cref="ConnectConcurrency"/> allows).</summary>
    public double? ConnectRate { get; init; }

    /// <summary>Connect first, then start the load at this wall-clock time, so generators on several machines start together.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Spacing of the throughput timeline and of progress reports.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
