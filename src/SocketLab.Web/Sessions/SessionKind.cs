namespace SocketLab.Web.Sessions;

public enum SessionKind
{
    TcpServer,
    TcpClient,
    Udp,

    /// <summary>虚拟掌控板: a board program run on the PC (socketlab board run), its console and OLED on the page.</summary>
    Board,
}
