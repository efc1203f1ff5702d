#!/usr/bin/env python3
"""Builds SocketLab's default OLED font: Noto Sans CJK SC rendered as 1-bit 16-px glyphs in the
board's GUIX format, with the board's advance widths. See tools/fontgen/README.md.

Usage: /usr/bin/python3 tools/fontgen/make_font.py [OUT.guix.gz]
Needs Debian's python3-pil and fonts-noto-cjk (generation only; the result is committed).
"""
import gzip
import struct
import sys

from PIL import Image, ImageDraw, ImageFont

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FACE_INDEX = 2          # Noto Sans CJK SC inside the collection
EM_PX = 11              # em size whose advances match the board's table (CJK = 11 px)
HEIGHT = 16             # rows per glyph, as on the board
BASELINE = 12           # row of the baseline (0 = top); leaves room for descenders
MISSING_WIDTH = 16      # header "width": the advance the board uses for a missing glyph with auto_return
OUT = "src/SocketLab.Board/Fonts/noto-sans-cjk-sc-16.guix.gz"

# The board's widths for printable ASCII (shared/board.md); the cursor advances width + 1.
ASCII_WIDTHS = {
    2: " ", 3: "!'(),.:;I[]fijl{|}", 4: "-/\\rt\u00b0", 5: '"*?csvxyz',
    6: "#$+0123456789<=>AEFJLSTVXY^_aeghku~", 7: "&BCDGKPRZbdnopq`", 8: "HNOQUw", 9: "MW", 10: "%@m",
}
TABLE = {ch: w for w, chars in ASCII_WIDTHS.items() for ch in chars}

# Ranges rendered from the font; wide ranges take the board's 11 px, the rest a measured width.
RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF),
    (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x25FF),
    (0x3000, 0x303F), (0x3040, 0x309F), (0x30A0, 0x30FF), (0x3130, 0x318F),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xFF00, 0xFFEF),
]
BLANK_CONTROLS = {0x09: 2, 0x0A: 2, 0x0D: 2}   # \t \n \r: blank glyphs 2 px wide, as on the board


def is_wide(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3000 <= cp <= 0x30FF
            or 0xFF01 <= cp <= 0xFF60 or 0xFFE0 <= cp <= 0xFFE6)


def width_of(ch, font):
    if ch in TABLE:
        return TABLE[ch]
    if is_wide(ord(ch)):
        return 11
    # Rounding the advance 0.2 px down reproduces the board's ASCII table best (12 of 95 off by one).
    return max(1, round(font.getlength(ch) - 0.2))


def render(ch, width, font):
    """1-bit w x 16 bitmap: the glyph's advance box centred in the cell, FreeType mono hinting."""
    pad = 8
    img = Image.new("1", (width + 2 * pad, HEIGHT), 0)
    draw = ImageDraw.Draw(img)
    draw.fontmode = "1"
    origin = pad + (width - font.getlength(ch)) / 2
    draw.text((round(origin), BASELINE), ch, font=font, fill=1, anchor="ls")
    return img.crop((pad, 0, pad + width, HEIGHT))


def glyph_bytes(width, bitmap):
    per_line = (width + 7) // 8
    out = bytearray(struct.pack("<HH", width, per_line))
    for y in range(HEIGHT):
        row = bytearray(per_line)
        for x in range(width):
            if bitmap is not None and bitmap.getpixel((x, y)):
                row[x >> 3] |= 0x80 >> (x & 7)
        out += row
    return bytes(out)


def mask_key(font, ch):
    m = font.getmask(ch, mode="1")
    return m.size, bytes(m)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    font = ImageFont.truetype(SOURCE, EM_PX, index=FACE_INDEX)
    # A private-use code point renders as .notdef (tofu): anything drawing the same is not in the font.
    notdef = mask_key(font, "\ue000")

    glyphs = {cp: glyph_bytes(w, None) for cp, w in BLANK_CONTROLS.items()}
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if cp not in (0x20, 0x3000, 0xA0) and mask_key(font, ch) == notdef:
                continue
            w = width_of(ch, font)
            glyphs[cp] = glyph_bytes(w, render(ch, w, font))

    first, last = min(glyphs), max(glyphs)
    count = last - first + 1
    header = b"GUIX" + struct.pack("<7H", HEIGHT, MISSING_WIDTH, BASELINE, 6, 9, first, last)
    table = bytearray(6 * count)
    data = bytearray()
    base = len(header) + len(table)
    for cp, g in sorted(glyphs.items()):
        struct.pack_into("<IH", table, 6 * (cp - first), base + len(data), len(g))
        data += g
    blob = header + bytes(table) + bytes(data)
    # mtime=0 keeps the output byte-identical from run to run.
    with open(out_path, "wb") as f:
        f.write(gzip.compress(blob, compresslevel=9, mtime=0))
    print(f"{out_path}: {len(glyphs)} glyphs U+{first:04X}..U+{last:04X}, {len(blob)} bytes raw", file=sys.stderr)


if __name__ == "__main__":
    main()
