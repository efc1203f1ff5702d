namespace SocketLab.Web.Board;

/// <summary>
/// The board's OLED as the seed programs drive it (MicroPython's <c>oled</c> object). The page only
/// ever sees <see cref="Glass"/>: the 1024-byte MONO_VLSB image last pushed by <see cref="Show"/>.
/// </summary>
public interface IOledScreen
{
    void Fill(int color);
    void FillRect(int x, int y, int width, int height, int color);
    void DispChar(string text, int x, int y);
    void Show();

    /// <summary>128×64, 1 bit per pixel, 8 pages of 128 bytes (bit 0 = top row of the page).</summary>
    byte[] Glass();
}
