using SocketLab.Board.Oled;

namespace SocketLab.Web.Board;

/// <summary>
/// The one seam between the page and the board display model: the seed programs' screens, each
/// returning the image then on the glass — 1024 bytes, 128×64 MONO_VLSB (8 pages of 128 bytes,
/// bit 0 = top row of the page). One instance per session; calls are serialized by the caller.
/// </summary>
public interface IBoardDisplay
{
    /// <summary>tcpServer after listen: "ip:port" at (0,0), "accepting....." at (0,16), show.</summary>
    byte[] ServerWaiting(string ipPort);

    /// <summary>tcpServer on data: the text at (0,48), show, then clear that strip.</summary>
    byte[] ServerReceived(string text);

    /// <summary>tcpClient on data: clear, the text at (0,0), show.</summary>
    byte[] ClientReceived(string text);

    /// <summary>udp_server (the sibling UDP tutorial) after binding: "ip:port" at (0,0), show.</summary>
    byte[] UdpWaiting(string ipPort);

    /// <summary>udp_server on a datagram: clear, the data at (0,15), "from" + ip at (0,31), show.</summary>
    byte[] UdpReceived(string text, string fromIp);

    /// <summary>What the glass shows now.</summary>
    byte[] Glass();

    /// <summary>Draw the next screens as this firmware's DispChar does (see <see cref="BoardFirmware"/>).</summary>
    void UseFirmware(BoardFirmware firmware) { }
}
