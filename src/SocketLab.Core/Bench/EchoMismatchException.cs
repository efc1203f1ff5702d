namespace SocketLab.Core.Bench;

/// <summary>Carries a corrupted echo out of a connection's loop, which turns it into the run's mismatch.</summary>
internal sealed class EchoMismatchException(EchoMismatch mismatch) : Exception
{
    public EchoMismatch Mismatch { get; } = mismatch;
}
