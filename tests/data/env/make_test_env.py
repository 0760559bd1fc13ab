#!/usr/bin/env python3
"""Writes the small Radiance .hdr files that tests/render/ibl_hdr_test.cpp
reads. Deterministic: rerunning it reproduces the committed files byte for
byte. The expected pixel values are defined by the same formulas in the test."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def header(w, h, extra=b""):
    return (b"#?RADIANCE\n# renderq test file\n" + extra +
            b"FORMAT=32-bit_rle_rgbe\nEXPOSURE=1.0\n\n" +
            b"-Y %d +X %d\n" % (h, w))


# flat_4x2.hdr: flat scanlines (width < 8 cannot be run-length encoded).
FLAT = [
    [(128, 64, 0, 129), (0, 0, 0, 0), (255, 255, 255, 128), (1, 2, 3, 100)],
    [(128, 128, 128, 129), (16, 32, 48, 140), (200, 0, 100, 120), (0, 0, 0, 255)],
]
write("flat_4x2.hdr", header(4, 2) + bytes(b for row in FLAT for px in row for b in px))


def rle_pixel(x, y):
    return ((x * 16 + y) & 0xFF, 200 if x < 10 else x, 7, 128 + y)


def rle_plane(values):
    """New-style RLE of one plane: runs of >= 3 equal bytes, literals otherwise."""
    out = bytearray()
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i] and j - i < 127:
            j += 1
        if j - i >= 3:
            out += bytes([128 + (j - i), values[i]])
            i = j
            continue
        k = i
        while k < len(values) and k - i < 128:
            if k + 2 < len(values) and values[k] == values[k + 1] == values[k + 2]:
                break
            k += 1
        out += bytes([k - i]) + bytes(values[i:k])
        i = k
    return bytes(out)


def rle_image(w, h):
    body = bytearray()
    for y in range(h):
        body += bytes([2, 2, w >> 8, w & 0xFF])
        px = [rle_pixel(x, y) for x in range(w)]
        for c in range(4):
            body += rle_plane([p[c] for p in px])
    return bytes(body)


RLE = header(16, 3) + rle_image(16, 3)
write("rle_16x3.hdr", RLE)

# Corrupt and unsupported files.
write("truncated_rle.hdr", RLE[: len(RLE) - 20])
write("truncated_flat.hdr", header(4, 2) + bytes(b for row in FLAT for px in row for b in px)[:-5])
write("truncated_header.hdr", b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n")
write("garbage.hdr", bytes((i * 7919 + 13) & 0xFF for i in range(512)))
write("no_signature.hdr", b"P6\n4 2\n255\n" + bytes(24))
write("xyze.hdr", b"#?RADIANCE\nFORMAT=32-bit_rle_xyze\n\n-Y 1 +X 1\n" + bytes(4))
write("bad_resolution.hdr", b"#?RADIANCE\n\n+Z 2 -Q 4\n" + bytes(32))
write("huge_claim.hdr", header(16384, 16384) + bytes(64))
# A run that overflows its 16-pixel scanline: 2,2,0,16 then a run of 20.
write("overflow_run.hdr", header(16, 1) + bytes([2, 2, 0, 16, 128 + 20, 9]) + bytes(64))
write("empty.hdr", b"")
