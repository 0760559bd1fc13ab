#!/usr/bin/env python3
"""Checks that PNG files are whole: signature, every chunk's CRC, IHDR first,
IDAT data that inflates to exactly the image's size, IEND last. A file cut
short or half-written fails. Usage: png_check.py [--size WxH] FILE..."""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def check(path, size=None):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "bad signature"
    pos, idat, ihdr, ended = 8, b"", None, False
    while pos < len(data):
        if pos + 8 > len(data):
            return "truncated chunk header"
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            return "truncated chunk " + ctype.decode("latin1")
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            return "bad CRC in " + ctype.decode("latin1")
        if ihdr is None and ctype != b"IHDR":
            return "IHDR is not first"
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        elif ctype == b"IEND":
            ended = pos + 12 + length == len(data)
            break
        pos += 12 + length
    if not ended:
        return "no IEND at the end"
    w, h, depth, ctype, _, _, interlace = ihdr
    if size and (w, h) != size:
        return "size %dx%d, expected %dx%d" % (w, h, size[0], size[1])
    if interlace != 0 or ctype not in CHANNELS:
        return "unexpected format"
    row = 1 + (w * CHANNELS[ctype] * depth + 7) // 8
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        return "IDAT does not inflate: %s" % e
    if len(raw) != row * h:
        return "IDAT holds %d bytes, expected %d" % (len(raw), row * h)
    return None


def main(argv):
    size = None
    if len(argv) > 1 and argv[0] == "--size":
        w, h = argv[1].split("x")
        size = (int(w), int(h))
        argv = argv[2:]
    bad = 0
    for path in argv:
        problem = check(path, size)
        if problem:
            print("%s: %s" % (path, problem), file=sys.stderr)
            bad += 1
    return 1 if bad or not argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
