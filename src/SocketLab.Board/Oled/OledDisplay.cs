using SocketLab.Board.Fonts;

namespace SocketLab.Board.Oled;

/// <summary>
/// The board's 128×64 OLED: a MONO_VLSB framebuffer drawn with the board's primitives and
/// DispChar. Viewers see nothing until <see cref="Show"/>, as on the glass. Not thread-safe:
/// draw from one thread; the frames <see cref="Show"/> hands out are immutable and can go anywhere.
/// </summary>
public sealed class OledDisplay(GuixFont? font = null, BoardFirmware? firmware = null)
{
    public const int Width = OledFrame.Width;
    public const int Height = OledFrame.Height;

    private readonly byte[] _buffer = new byte[OledFrame.ByteCount];

    public GuixFont Font { get; } = font ?? GuixFont.Default;

    /// <summary>Which firmware's DispChar this is (default: the latest); may change between calls.</summary>
    public BoardFirmware Firmware { get; set; } = firmware ?? BoardFirmware.Latest;

    /// <summary>The frame of the last <see cref="Show"/> (blank before the first).</summary>
    public OledFrame Shown { get; private set; } = OledFrame.Blank;

    /// <summary>Raised by every <see cref="Show"/>, on the drawing thread; handlers must be quick.</summary>
    public event Action<OledFrame>? FrameShown;

    /// <summary>The framebuffer as it is now, shown or not.</summary>
    public ReadOnlySpan<byte> Buffer => _buffer;

    public void Fill(bool on) => Array.Fill(_buffer, on ? (byte)0xFF : (byte)0);

    public void Fill(int c) => Fill(c != 0);

    public void FillRect(int x, int y, int w, int h, bool on)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + w, Width), y1 = Math.Min(y + h, Height);
        for (int py = y0; py < y1; py++)
            for (int px = x0; px < x1; px++)
                SetPixel(px, py, on);
    }

    public void FillRect(int x, int y, int w, int h, int c) => FillRect(x, y, w, h, c != 0);

    /// <summary>Sets a pixel; outside the screen nothing happens.</summary>
    public void Pixel(int x, int y, bool on)
    {
        if ((uint)x < Width && (uint)y < Height)
            SetPixel(x, y, on);
    }

    public void Pixel(int x, int y, int c) => Pixel(x, y, c != 0);

    /// <summary>Reads a pixel of the framebuffer (not yet shown); false outside the screen.</summary>
    public bool Pixel(int x, int y) =>
        (uint)x < Width && (uint)y < Height && (_buffer[(y >> 3) * Width + x] & (1 << (y & 7))) != 0;

    /// <summary>Draws text as the board's <c>oled.DispChar(s, x, y, mode, auto_return)</c> does.</summary>
    public DispCharResult DispChar(string text, int x, int y, TextMode mode = TextMode.Normal, bool autoReturn = false)
    {
        TextLayout layout = Layout(text, x, y, autoReturn);
        foreach (GlyphPlacement p in layout.Placements)
            if (p.Glyph is { } glyph)
                DrawGlyph(glyph, p.X, p.Y, mode);
        return new DispCharResult(layout.Width, layout.NextX, layout.NextY);
    }

    /// <summary>Where DispChar would put each character, under this display's font and firmware, without drawing.</summary>
    public TextLayout Layout(string text, int x, int y, bool autoReturn = false) =>
        TextLayout.Measure(Font, text, x, y, autoReturn || Firmware.AlwaysWraps);

    /// <summary>Sends the framebuffer to the "glass": snapshots it and tells viewers.</summary>
    public OledFrame Show()
    {
        OledFrame frame = OledFrame.FromBytes(_buffer);
        Shown = frame;
        FrameShown?.Invoke(frame);
        return frame;
    }

    private void DrawGlyph(Glyph glyph, int x, int y, TextMode mode)
    {
        if (x >= Width || y >= Height || x + glyph.Width <= 0 || y + glyph.Height <= 0)
            return; // wholly off the screen: a long string costs only its layout
        for (int row = 0; row < glyph.Height; row++)
        {
            int py = y + row;
            if ((uint)py >= Height)
                continue;
            for (int col = 0; col < glyph.Width; col++)
            {
                int px = x + col;
                if ((uint)px >= Width)
                    continue;
                bool lit = glyph.IsSet(col, row);
                switch (mode)
                {
                    case TextMode.Normal:
                        SetPixel(px, py, lit);
                        break;
                    case TextMode.Rev:
                        SetPixel(px, py, !lit);
                        break;
                    case TextMode.Trans when lit:
                        SetPixel(px, py, true);
                        break;
                    case TextMode.Xor when lit:
                        SetPixel(px, py, !FirmwareXorBit(px, py));
                        break;
                }
            }
        }
    }

    /// <summary>
    /// The bit the firmware's xor reads: <c>buffer[page * 128 + px] &amp; (0x80 &gt;&gt; (py % 8))</c>, an
    /// MSB-first mask on a MONO_VLSB buffer — row 7 − (py % 8) of the page, not row py. So xor text comes
    /// out mangled on a real board, and here the same way.
    /// </summary>
    private bool FirmwareXorBit(int x, int y) => (_buffer[(y >> 3) * Width + x] & (0x80 >> (y & 7))) != 0;

    private void SetPixel(int x, int y, bool on)
    {
        int i = (y >> 3) * Width + x;
        byte bit = (byte)(1 << (y & 7));
        _buffer[i] = on ? (byte)(_buffer[i] | bit) : (byte)(_buffer[i] & ~bit);
    }
}
