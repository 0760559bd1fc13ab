#!/usr/bin/env python3
"""Converts an X window dump (xwd, ZPixmap, 24/32 bits per pixel) to an
opaque RGBA PNG, using only the standard library. Usage: xwd_to_png.py IN.xwd OUT.png"""
import struct
import sys
import zlib


def read_xwd(data):
    fields = struct.unpack(">25I", data[:100])
    (header_size, version, fmt, depth, width, height, _xoff, byte_order, _unit, _bit_order, _pad, bpp,
     bytes_per_line, _vclass, rmask, gmask, bmask, _bits_rgb, _cmap_entries, ncolors) = fields[:20]
    if version != 7 or fmt != 2 or bpp not in (24, 32):
        raise SystemExit(f"unsupported xwd: version {version}, format {fmt}, {bpp} bpp")
    offset = header_size + ncolors * 12
    step = bpp // 8
    endian = "little" if byte_order == 0 else "big"

    def shift(mask):
        return (mask & -mask).bit_length() - 1

    rs, gs, bs = shift(rmask), shift(gmask), shift(bmask)
    rows = []
    for y in range(height):
        line = data[offset + y * bytes_per_line: offset + y * bytes_per_line + width * step]
        out = bytearray()
        for x in range(width):
            p = int.from_bytes(line[x * step:(x + 1) * step], endian)
            out += bytes(((p & rmask) >> rs, (p & gmask) >> gs, (p & bmask) >> bs, 255))
        rows.append(bytes(out))
    return width, height, rows


def write_png(path, width, height, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + r for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        w, h, rows = read_xwd(f.read())
    write_png(sys.argv[2], w, h, rows)
