#!/usr/bin/env python3
"""Writes the scenes of issue 13's memory attacks into DIR (small files, made
by the tests, never stored in git):

  accessor_bomb.gltf   976 bytes: one POSITION accessor with no bufferView and
                       count 2^28/3 (89478485 vertices, gigabytes once read)
  accessor_bomb.glb    the same as a self-contained .glb (for uploads)
  image_bomb.glb       a textured triangle whose three images have PNG headers
                       saying 16384x16384 (1 GiB each decoded); padded to
                       about 262 KB like the original
  fifo_buffer.gltf     a buffer whose uri is the FIFO fifo.bin   (with --special)
  device_buffer.gltf   a buffer whose uri is zero.bin, a character device
                       made with mknod 1 5 like /dev/zero (with --special, as root)
  sparse_buffer.gltf   a buffer whose uri is big.bin, a 3 GiB sparse file, and
                       whose byteLength says so              (with --special)

usage: budget_bombs.py DIR [--special]
"""
import json
import os
import random
import stat
import struct
import sys
import zlib


def glb(doc, bin_chunk=b""):
    js = json.dumps(doc, separators=(",", ":")).encode()
    js += b" " * (-len(js) % 4)
    bin_chunk += b"\0" * (-len(bin_chunk) % 4)
    body = struct.pack("<II", len(js), 0x4E4F534A) + js
    if bin_chunk:
        body += struct.pack("<II", len(bin_chunk), 0x004E4942) + bin_chunk
    return struct.pack("<III", 0x46546C67, 2, 12 + len(body)) + body


def png_header(width, height, pad):
    """A PNG signature and IHDR saying width x height, then an IDAT whose
    zlib stream ends early: a decoder allocates the image before it finds out."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    noise = random.Random(13).randbytes(pad)  # incompressible, like image data
    z = zlib.compressobj()
    idat = z.compress(noise) + z.flush(zlib.Z_SYNC_FLUSH)  # not Z_FINISH: the stream stops short
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat or b"\x78\x9c")


def triangle():
    pos = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
    uv = struct.pack("<6f", 0, 0, 1, 0, 0, 1)
    return pos, uv


def accessor_bomb():
    doc = {
        "asset": {"version": "2.0", "generator": "renderq tests/gltf/budget_bombs.py"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "accessors": [{"componentType": 5126, "count": 2**28 // 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 1]}],
    }
    # Padded to the 976 bytes of the file the issue reported.
    doc["asset"]["extras"] = {"pad": ""}
    text = json.dumps(doc, indent=1)
    doc["asset"]["extras"]["pad"] = "x" * max(0, 976 - len(text))
    text = json.dumps(doc, indent=1)
    return doc, text.encode()


def image_bomb():
    pos, uv = triangle()
    images = [png_header(16384, 16384, 87000) for _ in range(3)]
    blob = pos + uv
    views = [{"buffer": 0, "byteOffset": 0, "byteLength": len(pos)},
             {"buffer": 0, "byteOffset": len(pos), "byteLength": len(uv)}]
    for img in images:
        blob += b"\0" * (-len(blob) % 4)
        views.append({"buffer": 0, "byteOffset": len(blob), "byteLength": len(img)})
        blob += img
    doc = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "material": 0}]}],
        "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0},
                                                "metallicRoughnessTexture": {"index": 1}},
                       "emissiveTexture": {"index": 2}}],
        "textures": [{"source": 0}, {"source": 1}, {"source": 2}],
        "images": [{"bufferView": 2 + i, "mimeType": "image/png"} for i in range(3)],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
             "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"},
        ],
        "bufferViews": views,
        "buffers": [{"byteLength": len(blob)}],
    }
    return glb(doc, blob)


def buffer_scene(uri, length):
    pos, _ = triangle()
    return json.dumps({
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                       "min": [0, 0, 0], "max": [1, 1, 0]}],
        "bufferViews": [{"buffer": 0, "byteLength": len(pos)}],
        "buffers": [{"uri": uri, "byteLength": length}],
    })


def main():
    out = sys.argv[1]
    special = "--special" in sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    doc, text = accessor_bomb()
    open(os.path.join(out, "accessor_bomb.gltf"), "wb").write(text)
    open(os.path.join(out, "accessor_bomb.glb"), "wb").write(glb(doc))
    open(os.path.join(out, "image_bomb.glb"), "wb").write(image_bomb())
    if special:
        os.mkfifo(os.path.join(out, "fifo.bin"))
        open(os.path.join(out, "fifo_buffer.gltf"), "w").write(buffer_scene("fifo.bin", 36))
        if os.geteuid() == 0:
            os.mknod(os.path.join(out, "zero.bin"), 0o600 | stat.S_IFCHR, os.makedev(1, 5))
            open(os.path.join(out, "device_buffer.gltf"), "w").write(buffer_scene("zero.bin", 36))
        with open(os.path.join(out, "big.bin"), "wb") as f:
            f.truncate(3 << 30)
        open(os.path.join(out, "sparse_buffer.gltf"), "w").write(buffer_scene("big.bin", 3 << 30))


if __name__ == "__main__":
    main()
