"""Reads and writes the board's GUIX bitmap font format (described in src/SocketLab.Board/Fonts/GuixFont.cs)."""
import gzip
import struct

HEADER = struct.Struct("<4s7H")
ENTRY = struct.Struct("<IH")


def read(path):
    """Returns (header fields, {code point: (width, rows)}) where rows is a list of 0/1 lists."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic, height, width, baseline, x_height, cap_height, first, last = HEADER.unpack_from(data)
    if magic != b"GUIX":
        raise ValueError(f"{path}: not a GUIX font")
    glyphs = {}
    for cp in range(first, last + 1):
        offset, length = ENTRY.unpack_from(data, HEADER.size + ENTRY.size * (cp - first))
        if offset == 0 or length == 0:
            continue
        w, per_line = struct.unpack_from("<HH", data, offset)
        rows = data[offset + 4:offset + 4 + per_line * height]
        glyphs[cp] = (w, [[(rows[y * per_line + (x >> 3)] >> (7 - (x & 7))) & 1 for x in range(w)]
                          for y in range(height)])
    return (height, width, baseline, x_height, cap_height, first, last), glyphs


def encode_glyph(width, rows):
    per_line = (width + 7) // 8
    out = bytearray(struct.pack("<HH", width, per_line))
    for row in rows:
        packed = bytearray(per_line)
        for x, lit in enumerate(row):
            if lit:
                packed[x >> 3] |= 0x80 >> (x & 7)
        out += packed
    return bytes(out)


def write(path, header, glyphs):
    """header = (height, width, baseline, x_height, cap_height, first, last); gzip with a fixed mtime (reproducible)."""
    first, last = header[5], header[6]
    table = bytearray(ENTRY.size * (last - first + 1))
    data = bytearray()
    base = HEADER.size + len(table)
    for cp in sorted(glyphs):
        g = encode_glyph(*glyphs[cp])
        ENTRY.pack_into(table, ENTRY.size * (cp - first), base + len(data), len(g))
        data += g
    blob = HEADER.pack(b"GUIX", *header) + bytes(table) + bytes(data)
    with open(path, "wb") as f:
        f.write(gzip.compress(blob, compresslevel=9, mtime=0))
    return len(blob)
