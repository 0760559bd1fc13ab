#!/usr/bin/env python3
"""Writes the generated part of a fuzzing target's seed corpus.

usage: make_seeds.py TARGET OUT_DIR SAMPLE_DIR...

The glTF samples (../shared/gltf-samples, tests/data) carry their own
licences, so they are never copied into git: scripts/fuzz.sh calls this at
run time to make seeds from them in its build folder. Only small files are
taken (libFuzzer mutates small inputs best):

  gltf_load     .glb files, and .gltf files with their external buffers and
                images inlined as data: URIs (the harness writes one file)
  image_decode  .png, .jpg, .jpeg and .webp files
  hdr_decode    .hdr files
  http          a POST /v1/jobs upload of each small .glb (raw and multipart)

Other targets have only hand-written seeds (fuzz/seeds/TARGET/).
"""
import base64
import hashlib
import json
import os
import sys
import urllib.parse

MAX_SEED = 96 * 1024        # bytes of one seed
MAX_HTTP_SCENE = 16 * 1024  # bytes of a .glb sent in an HTTP seed

MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".webp": "image/webp", ".bin": "application/octet-stream"}


def files(dirs, exts):
    for d in dirs:
        for root, _, names in os.walk(d):
            for n in sorted(names):
                if os.path.splitext(n)[1].lower() in exts:
                    yield os.path.join(root, n)


def inline_gltf(path):
    """The .gltf's text with every relative URI replaced by a data: URI, or
    None when a referenced file is missing or the result is too large."""
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    base = os.path.dirname(path)
    for kind in ("buffers", "images"):
        for item in doc.get(kind, []) if isinstance(doc, dict) else []:
            uri = item.get("uri") if isinstance(item, dict) else None
            if not isinstance(uri, str) or uri.startswith("data:"):
                continue
            ref = os.path.join(base, urllib.parse.unquote(uri))
            try:
                if os.path.getsize(ref) > MAX_SEED:
                    return None
                with open(ref, "rb") as f:
                    data = f.read()
            except OSError:
                return None
            mime = MIME.get(os.path.splitext(ref)[1].lower(), "application/octet-stream")
            item["uri"] = "data:%s;base64,%s" % (mime, base64.b64encode(data).decode())
    text = json.dumps(doc, separators=(",", ":")).encode()
    return text if len(text) <= MAX_SEED else None


def http_uploads(glb):
    query = urllib.parse.quote(json.dumps({"spec": {"width": 64, "height": 64}}))
    raw = (b"POST /v1/jobs?job=" + query.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"Content-Type: model/gltf-binary\r\nContent-Length: " + str(len(glb)).encode() +
           b"\r\n\r\n" + glb)
    boundary = b"renderqfuzzboundary"
    body = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"job\"\r\n\r\n"
            b"{\"spec\":{\"width\":32}}\r\n--" + boundary +
            b"\r\nContent-Disposition: form-data; name=\"scene\"; filename=\"s.glb\"\r\n"
            b"Content-Type: model/gltf-binary\r\n\r\n" + glb + b"\r\n--" + boundary + b"--\r\n")
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096])
                       for i in range(0, len(body), 4096)) + b"0\r\n\r\n"
    multipart = (b"POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Type: multipart/form-data; boundary=" + boundary + b"\r\n\r\n" + chunked)
    return [raw, multipart]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    target, out, dirs = sys.argv[1], sys.argv[2], [d for d in sys.argv[3:] if os.path.isdir(d)]
    os.makedirs(out, exist_ok=True)
    seeds = []
    if target == "gltf_load":
        for p in files(dirs, {".glb"}):
            if os.path.getsize(p) <= MAX_SEED:
                seeds.append(open(p, "rb").read())
        for p in files(dirs, {".gltf"}):
            if os.path.getsize(p) <= MAX_SEED and (text := inline_gltf(p)) is not None:
                seeds.append(text)
    elif target in ("image_decode", "hdr_decode"):
        exts = {".hdr"} if target == "hdr_decode" else {".png", ".jpg", ".jpeg", ".webp"}
        for p in files(dirs, exts):
            if os.path.getsize(p) <= MAX_SEED:
                seeds.append(open(p, "rb").read())
    elif target == "http":
        for p in files(dirs, {".glb"}):
            if os.path.getsize(p) <= MAX_HTTP_SCENE:
                seeds.extend(http_uploads(open(p, "rb").read()))
    for s in seeds:  # named by content, as libFuzzer names its corpus files
        with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
            f.write(s)
    print("%s: %d generated seeds" % (target, len(seeds)), file=sys.stderr)


if __name__ == "__main__":
    main()
