using Microsoft.Playwright;

namespace SocketLab.Web.Tests.Infrastructure;

/// <summary>Reads the active panel's OLED canvas back as 128×64 bits and compares it with a MONO_VLSB frame.</summary>
public static class OledBits
{
    private const string ReadCanvas = """
        () => {
          const c = document.querySelector('section.panel.active canvas.oled');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let bits = '';
          for (let y = 0; y < 64; y++)
            for (let x = 0; x < 128; x++)
              bits += d[((y * 3 + 1) * c.width + (x * 3 + 1)) * 4] > 128 ? '1' : '0';
          return bits;
        }
        """;

    public static string FromFrame(ReadOnlySpan<byte> frame)
    {
        var chars = new char[128 * 64];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 128; x++)
                chars[y * 128 + x] = (frame[(y >> 3) * 128 + x] >> (y & 7) & 1) == 1 ? '1' : '0';
        return new string(chars);
    }

    /// <summary>Waits until the canvas shows exactly <paramref name="frame"/> (it may take a frame or two to arrive).</summary>
    public static async Task ExpectAsync(IPage page, byte[] frame)
    {
        string expected = FromFrame(frame);
        Assert.Contains('1', expected);
        string shown = "";
        for (DateTime deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            shown = await page.EvaluateAsync<string>(ReadCanvas);
            if (shown == expected)
                return;
        }
        Assert.Equal(Render(expected), Render(shown));
    }

    private static string Render(string bits) =>
        string.Join('\n', Enumerable.Range(0, 64).Select(y => bits.Substring(y * 128, 128).Replace('0', '.').Replace('1', '#')));
}
