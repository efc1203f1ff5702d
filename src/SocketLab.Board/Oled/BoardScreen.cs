namespace SocketLab.Board.Oled;

/// <summary>
/// The screens the tutorial's board programs draw, step for step, so every viewer (terminal
/// panel, web page) shows what the board would.
/// </summary>
public static class BoardScreen
{
    public const string Accepting = "accepting.....";

    /// <summary>tcpServer at start: <c>"ip:port"</c> at (0,0), <c>accepting.....</c> at (0,16), show.</summary>
    public static OledFrame ServerWaiting(OledDisplay oled, string ipPort)
    {
        oled.DispChar(ipPort, 0, 0);
        oled.DispChar(Accepting, 0, 16);
        return oled.Show();
    }

    /// <summary>tcpServer on data: the text at (0,48), show, then clear the strip (0,48,128,16) for the next one.</summary>
    public static OledFrame ServerReceived(OledDisplay oled, string text)
    {
        oled.DispChar(text, 0, 48);
        OledFrame frame = oled.Show();
        oled.FillRect(0, 48, OledDisplay.Width, 16, false);
        return frame;
    }

    /// <summary>tcpClient on data: clear the screen, the text at (0,0), show.</summary>
    public static OledFrame ClientReceived(OledDisplay oled, string text)
    {
        oled.Fill(false);
        oled.DispChar(text, 0, 0);
        return oled.Show();
    }

    /// <summary>udp_server at start: <c>"ip:port"</c> at (0,0), show.</summary>
    public static OledFrame UdpWaiting(OledDisplay oled, string ipPort)
    {
        oled.DispChar(ipPort, 0, 0);
        return oled.Show();
    }

    /// <summary>udp_server on a datagram: clear, the data at (0,15), <c>"from" + ip</c> at (0,31), show.</summary>
    public static OledFrame UdpReceived(OledDisplay oled, string text, string fromIp)
    {
        oled.Fill(false);
        oled.DispChar(text, 0, 15);
        oled.DispChar("from" + fromIp, 0, 31);
        return oled.Show();
    }
}
