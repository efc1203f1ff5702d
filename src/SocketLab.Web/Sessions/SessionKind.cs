namespace SocketLab.Web.Sessions;

public enum SessionKind
{
    TcpServer,
    TcpClient,
    Udp,

    /// <summary>虚拟掌控板: a board program run on the PC (socketlab board run), its console and OLED on the page.</summary>
    Board,

    /// <summary>A serial port (socketlab serial): the 掌控板's USB REPL, an AT modem.</summary>
    Serial,

    /// <summary>A relay between clients and a device (socketlab relay), both directions in the log.</summary>
    Relay,
}
