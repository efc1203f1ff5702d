#!/usr/bin/env python3
"""Measures how close a GUIX font's glyph shapes are to the board's own font, pixel for pixel.

Usage: /usr/bin/python3 tools/fontgen/compare_font.py BOARD.bin [FONT.guix.gz]
BOARD.bin is port/Noto_Sans_CJK_SC_Light16.bin from the board's firmware (labplus-cn/mpython);
FONT defaults to SocketLab's built-in font. Compares every glyph both fonts have, cell by cell
(width x 16), and prints the share of identical glyphs and of matching pixels, overall and per script.
"""
import os
import sys

import guix

HERE = os.path.dirname(os.path.abspath(__file__))
BUILT_IN = os.path.join(HERE, "..", "..", "src", "SocketLab.Board", "Fonts", "noto-sans-cjk-sc-light-16.guix.gz")
GROUPS = [
    ("printable ASCII", lambda cp: 0x20 <= cp <= 0x7E),
    ("CJK U+4E00-9FFF", lambda cp: 0x4E00 <= cp <= 0x9FFF),
    ("other", lambda cp: not (0x20 <= cp <= 0x7E or 0x4E00 <= cp <= 0x9FFF)),
]


def compare(board, ours, cps):
    identical = differing = pixels = 0
    for cp in cps:
        bw, brows = board[cp]
        ow, orows = ours[cp]
        if bw != ow:
            raise SystemExit(f"U+{cp:04X}: width {ow}, the board's is {bw}")
        diff = sum(brows[y][x] != orows[y][x] for y in range(len(brows)) for x in range(bw))
        identical += diff == 0
        differing += diff
        pixels += bw * len(brows)
    return identical, differing, pixels


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    _, board = guix.read(sys.argv[1])
    _, ours = guix.read(sys.argv[2] if len(sys.argv) > 2 else BUILT_IN)
    missing = sorted(set(board) ^ set(ours))
    if missing:
        raise SystemExit(f"coverage differs at {len(missing)} code points, first U+{missing[0]:04X}")
    print(f"{'glyphs':>22} {'identical':>16} {'pixels matching':>16}")
    for name, member in GROUPS + [("all", lambda cp: True)]:
        cps = [cp for cp in board if member(cp)]
        identical, differing, pixels = compare(board, ours, cps)
        print(f"{name:>16} {len(cps):>5} {identical:>7} ({100 * identical / len(cps):5.1f}%) {100 * (1 - differing / pixels):15.2f}%")


if __name__ == "__main__":
    main()
