namespace SocketLab.Web.Sessions;

public enum SessionKind
{
    TcpServer,
    TcpClient,
    Udp,
}
