namespace SocketLab.Core.Framing;

/// <summary>A frame longer than the allowed maximum (a wrong framing choice, or a hostile peer).</summary>
public sealed class FrameTooLargeException(string message) : Exception(message);
