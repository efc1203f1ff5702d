namespace SocketLab.Web.Board;

/// <summary>What the seed's two board programs draw, step for step.</summary>
public static class SeedLayouts
{
    /// <summary>tcpServer after listen: "ip:port" at (0,0), "accepting....." at (0,16).</summary>
    public static void ServerListening(IOledScreen oled, string ipPort)
    {
        oled.DispChar(ipPort, 0, 0);
        oled.DispChar("accepting.....", 0, 16);
        oled.Show();
    }

    /// <summary>tcpServer on data: text at (0,48), show, then clear that strip for the next message.</summary>
    public static void ServerReceived(IOledScreen oled, string text)
    {
        oled.DispChar(text, 0, 48);
        oled.Show();
        oled.FillRect(0, 48, 128, 16, 0);
    }

    /// <summary>tcpClient on data: clear, text at (0,0), show.</summary>
    public static void ClientReceived(IOledScreen oled, string text)
    {
        oled.Fill(0);
        oled.DispChar(text, 0, 0);
        oled.Show();
    }
}
