#!/usr/bin/env python3
"""Builds SocketLab's built-in OLED font: Noto Sans CJK SC Light rendered as 1-bit 16-px glyphs in
the board's GUIX format, with exactly the board's glyphs and widths (board-font-widths.tsv).
See tools/fontgen/README.md.

Usage: /usr/bin/python3 tools/fontgen/make_font.py [OUT.guix.gz]
Needs Debian's python3-freetype and fonts-noto-cjk-extra (generation only; the result is committed).
"""
import os
import sys

import freetype

import guix

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Light.ttc"
SC_FACE = 2             # Noto Sans CJK SC inside the collection
FALLBACK_FACES = (0, 1, 3, 4)  # JP, KR, TC, HK: the two board glyphs SC lacks (U+2252, U+25C8)
WIDTHS = os.path.join(HERE, "board-font-widths.tsv")
OUT = os.path.join(HERE, "..", "..", "src", "SocketLab.Board", "Fonts", "noto-sans-cjk-sc-light-16.guix.gz")

# The board's header: height 16, missing-glyph advance 16, baseline 12, x_height 6, Y_height 8, U+0000..U+FFFF.
HEADER = (16, 16, 12, 6, 8, 0x0000, 0xFFFF)
HEIGHT, BASELINE = HEADER[0], HEADER[2]
# Chosen by tools/fontgen/compare_font.py against the board's own font (docs/oled.md has the figures):
# unhinted anti-aliased outlines at a 10.75-px em, a pixel lit from coverage THRESHOLD/255.
EM_26_6 = 688           # 10.75 px in FreeType's 1/64-px units (the board's CJK advance is 11)
THRESHOLD = 64
LOAD_FLAGS = freetype.FT_LOAD_RENDER | freetype.FT_LOAD_NO_HINTING


def board_widths(path=WIDTHS):
    """{code point: width} for every glyph the board's font has."""
    widths = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            first, last, width = line.split("\t")
            for cp in range(int(first[2:], 16), int(last[2:], 16) + 1):
                widths[cp] = int(width)
    return widths


def open_faces(em=EM_26_6):
    faces = []
    for index in (SC_FACE,) + FALLBACK_FACES:
        face = freetype.Face(SOURCE, index=index)
        face.set_char_size(em)
        faces.append(face)
    return faces


def render(faces, cp, width, threshold=THRESHOLD):
    """width x HEIGHT rows of 0/1: the glyph at its own left bearing, baseline on row BASELINE; blank if no face has it."""
    rows = [[0] * width for _ in range(HEIGHT)]
    face = next((f for f in faces if f.get_char_index(cp)), None)
    if face is None or cp < 0x20:
        return rows
    face.load_char(chr(cp), LOAD_FLAGS)
    slot = face.glyph
    bitmap = slot.bitmap
    for r in range(bitmap.rows):
        y = BASELINE - slot.bitmap_top + r
        if not 0 <= y < HEIGHT:
            continue
        for c in range(bitmap.width):
            x = slot.bitmap_left + c
            if 0 <= x < width and bitmap.buffer[r * bitmap.pitch + c] >= threshold:
                rows[y][x] = 1
    return rows


def build(em=EM_26_6, threshold=THRESHOLD):
    faces = open_faces(em)
    return {cp: (w, render(faces, cp, w, threshold)) for cp, w in board_widths().items()}


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else OUT
    glyphs = build()
    raw = guix.write(out_path, HEADER, glyphs)
    print(f"{out_path}: {len(glyphs)} glyphs, {raw} bytes raw, {os.path.getsize(out_path)} gzipped", file=sys.stderr)


if __name__ == "__main__":
    main()
