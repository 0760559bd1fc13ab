#!/usr/bin/env python3
"""The GPU work of the example web app, run by renderq as a command job.

A stand-in for your own render function: it draws a small gradient image
frame by frame (standard library only, written as PPM), reports progress on
the descriptor renderq names in RENDERQ_PROGRESS_FD, and says which device
renderq gave it. Replace the body of render() with real GPU code: the
environment already points CUDA at the job's device (CUDA_VISIBLE_DEVICES)
and RENDERQ_DEVICE names its EGL index.

Usage: render_job.py --out PATH --width W --height H --frames N
"""
import argparse
import os
import sys


def progress(done, total):
    fd = os.environ.get("RENDERQ_PROGRESS_FD")
    if fd:
        os.write(int(fd), f"{done}/{total}\n".encode())


def render(width, height, frames, out):
    for frame in range(frames):
        rows = []
        for y in range(height):
            row = bytearray()
            for x in range(width):
                row += bytes(((x * 255) // max(width - 1, 1), (y * 255) // max(height - 1, 1),
                              (frame * 255) // max(frames - 1, 1)))
            rows.append(bytes(row))
        progress(frame + 1, frames)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(f"P6 {width} {height} 255\n".encode())
        f.writelines(rows)
    os.replace(tmp, out)  # the result appears whole or not at all


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--height", type=int, required=True)
    p.add_argument("--frames", type=int, required=True)
    a = p.parse_args()
    print(f"job {os.environ.get('RENDERQ_JOB_ID')} attempt {os.environ.get('RENDERQ_ATTEMPT')}: "
          f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '')!r} "
          f"RENDERQ_DEVICE={os.environ.get('RENDERQ_DEVICE', '')!r}", flush=True)
    render(a.width, a.height, a.frames, a.out)
    print(f"wrote {a.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
