using System.Net;
using SocketLab.Core.Tcp;

namespace SocketLab.Cli.Output;

public enum EventKind
{
    Listening,
    Connected,
    Received,
    Sent,
    Closed,
    Rejected,
    Line,
    Error,
    Summary,
    /// <summary>A UDP datagram received (one message, shown on one line).</summary>
    DatagramReceived,
    /// <summary>A UDP datagram sent.</summary>
    DatagramSent,

    /// <summary>A periodic health line (--stats): clients, bytes, memory, GC.</summary>
    Stats,

    /// <summary>The echo loop guard turned echo off for a connection or UDP peer (Count, Length, Duration; Text says how to undo it).</summary>
    EchoLoop,

    /// <summary>Text written to stdout exactly as given (the OLED panel's drawing); not part of JSON output.</summary>
    Terminal,
}

/// <summary>
/// One thing to show. Data events carry a buffer rented from the shared pool; the sink returns it.
/// </summary>
public sealed class OutputEvent
{
    public required EventKind Kind { get; init; }
    public DateTimeOffset Time { get; init; } = DateTimeOffset.Now;
    public long ConnectionId { get; init; }
    public IPEndPoint? Remote { get; init; }
    public IPEndPoint? Local { get; init; }
    public byte[]? Buffer { get; init; }
    public int Length { get; init; }
    public string? Text { get; init; }
    public CloseReason Reason { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }
    public long Count { get; init; }
    public TimeSpan Duration { get; init; }
    public ProcessStats? Stats { get; init; }
}
