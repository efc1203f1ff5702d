using System.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Core.Relay;

/// <summary>Where a relay listens, where it connects each client to, and the faults it may inject.</summary>
public sealed record RelayOptions
{
    public required IPEndPoint Listen { get; init; }
    public required string DeviceHost { get; init; }
    public required int DevicePort { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fault injection: hold each chunk this long before passing it on (both directions, order kept).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Fault injection: the share of chunks (0 to 1) not passed on, as a lossy link would lose them.</summary>
    public double DropRate { get; init; }

    /// <summary>Seed for --drop's choices, so a failing device test can be run again the same way (null = random).</summary>
    public int? Seed { get; init; }

    /// <summary>Bytes read at once per direction (two buffers per relayed connection): 256 KiB moved ~20 % more than 64 KiB on loopback (docs/benchmarks.md).</summary>
    public int BufferSize { get; init; } = 256 * 1024;

    /// <summary>
    /// Pass bytes kernel to kernel (Linux splice(2)) when no observer reads them and no fault is injected; false
    /// always copies through the process (what it saves: docs/benchmarks.md, relay overhead).
    /// </summary>
    public bool ZeroCopy { get; init; } = true;

    /// <summary>
    /// Zero-copy path: after traffic, each relay thread keeps polling this long before it sleeps, so the next chunk
    /// needs no wake-up (the server's epoll loops do the same; see TcpServerOptions.BusyPoll). Zero sleeps at once.
    /// </summary>
    public TimeSpan BusyPoll { get; init; } = TcpServerOptions.DefaultBusyPoll;

    public int Backlog { get; init; } = 512;
}
