namespace SocketLab.Core.Transcripts;

public enum TranscriptEventKind
{
    /// <summary>A connection opened (TCP only).</summary>
    Open,
    /// <summary>Bytes went in or out: a TCP chunk or one UDP datagram.</summary>
    Data,
    /// <summary>A connection ended, with the reason (TCP only).</summary>
    Close,
}

public enum TranscriptDirection
{
    /// <summary>Received from the remote end.</summary>
    In,
    /// <summary>Sent to the remote end.</summary>
    Out,
}

/// <summary>
/// One line of a JSONL transcript. <see cref="Role"/> tells which side recorded it ("client",
/// "server", "udp-listen", "udp-send"), so a replay knows which direction were the sends.
/// </summary>
public sealed record TranscriptEvent
{
    public required DateTimeOffset Time { get; init; }
    /// <summary>"tcp" or "udp".</summary>
    public required string Protocol { get; init; }
    public string? Role { get; init; }
    /// <summary>The connection id (TCP) or peer id (UDP) as the recording command numbered them.</summary>
    public long Connection { get; init; }
    public required TranscriptEventKind Kind { get; init; }
    public TranscriptDirection Direction { get; init; }
    /// <summary>An automatic echo of received bytes rather than a send.</summary>
    public bool Echo { get; init; }
    public string? Local { get; init; }
    public string? Remote { get; init; }
    public ReadOnlyMemory<byte> Data { get; init; }
    /// <summary>Close reason: remote_closed, reset, local_closed, rejected, idle_timeout, handshake_failed.</summary>
    public string? Reason { get; init; }
    public string? Detail { get; init; }
    /// <summary>The line of the file it was read from (1-based), or 0 when it did not come from a file.</summary>
    public int Line { get; init; }
}
