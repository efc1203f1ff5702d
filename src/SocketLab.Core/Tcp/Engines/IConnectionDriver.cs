namespace SocketLab.Core.Tcp;

/// <summary>
/// What drives a <see cref="TcpConnection"/>'s reading and echoing: <see cref="AsyncReceiveLoop"/> (a receive
/// loop per connection over .NET's async sockets) or <see cref="EpollDriver"/> (readiness events on an
/// <see cref="EpollServerLoop"/>'s thread). The connection tells its driver only one thing: stop reading.
/// </summary>
internal interface IConnectionDriver
{
    /// <summary>Completes when the connection has closed and been reported.</summary>
    Task Running { get; }

    /// <summary>Close or Abort was called (or the idle timeout hit): stop reading and start the close.</summary>
    void CloseRequested();
}
