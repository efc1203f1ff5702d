using System.Text;
using SocketLab.Board.Oled;

namespace SocketLab.Board.Tests;

/// <summary>Reads regions of a display or frame as '#'/'.' rows, so tests can state pixels by picture.</summary>
internal static class Screen
{
    public static string[] Region(Func<int, int, bool> pixel, int x, int y, int w, int h)
    {
        var rows = new string[h];
        var sb = new StringBuilder(w);
        for (int r = 0; r < h; r++)
        {
            sb.Clear();
            for (int c = 0; c < w; c++)
                sb.Append(pixel(x + c, y + r) ? '#' : '.');
            rows[r] = sb.ToString();
        }
        return rows;
    }

    public static string[] Region(OledDisplay d, int x, int y, int w, int h) => Region(d.Pixel, x, y, w, h);

    public static string[] Region(OledFrame f, int x, int y, int w, int h) => Region(f.GetPixel, x, y, w, h);

    public static int LitCount(Func<int, int, bool> pixel)
    {
        int n = 0;
        for (int y = 0; y < OledFrame.Height; y++)
            for (int x = 0; x < OledFrame.Width; x++)
                if (pixel(x, y))
                    n++;
        return n;
    }

    /// <summary>16 rows: the given ones, then <paramref name="rest"/> repeated.</summary>
    public static string[] Rows(string rest, params string[] first) =>
        [.. first, .. Enumerable.Repeat(rest, 16 - first.Length)];
}
