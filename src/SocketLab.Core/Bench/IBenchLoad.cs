using System.Net.Sockets;

namespace SocketLab.Core.Bench;

/// <summary>One socket keeping load on the server (a TCP connection or a UDP socket), as the sampler sees it.</summary>
internal interface IBenchLoad
{
    Socket Socket { get; }

    /// <summary>Messages echoed so far, warm-up included (read by the sampler without locking).</summary>
    long Completed { get; }

    /// <summary>Messages echoed while measuring.</summary>
    long Measured { get; }

    /// <summary>Messages given up as lost so far (UDP), warm-up included.</summary>
    long Lost => 0;

    /// <summary>Runs until the run stops; failures are counted in the run, never thrown.</summary>
    Task RunAsync();
}
