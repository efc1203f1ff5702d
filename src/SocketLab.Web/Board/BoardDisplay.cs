using SocketLab.Board.Fonts;
using SocketLab.Board.Oled;

namespace SocketLab.Web.Board;

/// <summary>The page's OLED backed by the board display model (SocketLab.Board): the seed's screens, glyph for glyph.</summary>
public sealed class BoardDisplay(GuixFont? font = null, BoardFirmware? firmware = null) : IBoardDisplay
{
    private readonly OledDisplay _oled = new(font, firmware);
    private OledFrame _shown = OledFrame.Blank;

    public byte[] ServerWaiting(string ipPort) => Keep(BoardScreen.ServerWaiting(_oled, ipPort));

    public byte[] ServerReceived(string text) => Keep(BoardScreen.ServerReceived(_oled, text));

    public byte[] ClientReceived(string text) => Keep(BoardScreen.ClientReceived(_oled, text));

    public byte[] UdpWaiting(string ipPort) => Keep(BoardScreen.UdpWaiting(_oled, ipPort));

    public byte[] UdpReceived(string text, string fromIp) => Keep(BoardScreen.UdpReceived(_oled, text, fromIp));

    public byte[] Glass() => _shown.Bytes.ToArray();

    public void UseFirmware(BoardFirmware firmware) => _oled.Firmware = firmware;

    private byte[] Keep(OledFrame frame)
    {
        _shown = frame;
        return frame.Bytes.ToArray();
    }
}
