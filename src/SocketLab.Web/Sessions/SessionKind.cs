using System.Text.Json;

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

/// <summary>The one place a session kind is spelled: its name in the API, the page and history, and an unnamed session's title.</summary>
public static class SessionKinds
{
    /// <summary>"tcpServer", "tcpClient", "udp", "board": the JSON name (the API's enum converter uses the same camel case).</summary>
    public static string Name(this SessionKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static bool TryParse(string name, out SessionKind kind)
    {
        foreach (SessionKind k in Enum.GetValues<SessionKind>())
        {
            if (k.Name() == name)
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>The title a session has until the user names it (the page shows the kind in its own language instead).</summary>
    public static string DefaultTitle(this SessionKind kind) => kind switch
    {
        SessionKind.TcpServer => "TCP Server",
        SessionKind.TcpClient => "TCP Client",
        SessionKind.Board => "虚拟掌控板",
        SessionKind.Serial => "Serial port",
        SessionKind.Relay => "Relay",
        _ => "UDP",
    };
}
