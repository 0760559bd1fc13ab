#!/usr/bin/env python3
"""A web application whose GPU work never blocks it (standard library only).

The problem renderq began with: a web server whose own render function ran
inside the request and blocked everything while the GPU worked. Here the
request only queues the work as a renderq command job and answers at once:

  POST /renders {"width": 256, "height": 256, "frames": 10}
       -> 202 Accepted, Location: /renders/<id>, {"id": <id>, "state": "queued"}
  GET  /renders/<id>
       -> 200 {"id", "state", "progress": {"done", "total"}, "error", "result"}
  GET  /renders/<id>/image -> the PPM once the job succeeded, else 409

The GPU work is render_job.py, run by the renderq daemon in a worker slot
of a device (renderq daemon --slots N for several at once), with its
output in `renderq logs <id>`. Request values are validated here and passed
as whole argv elements, never through a shell.

Usage: app.py [--port 8080] [--out DIR]   (RENDERQ_SPOOL / renderq on PATH
as for the command line; start `renderq daemon` first)
"""
import argparse
import json
import os
import re
import subprocess
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
RENDERQ = os.environ.get("RENDERQ", "renderq")
LIMITS = {"width": (1, 2048), "height": (1, 2048), "frames": (1, 1000)}


def renderq(*args):
    return subprocess.run([RENDERQ, *args], capture_output=True, text=True)


class Handler(BaseHTTPRequestHandler):
    out_dir = "."

    def send_json(self, code, body, headers=()):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        if self.path != "/renders":
            return self.send_json(404, {"error": "not found"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            req = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(req, dict):
                raise ValueError("the body must be a JSON object")
            unknown = set(req) - set(LIMITS)
            if unknown:
                raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
            values = {}
            for key, (lo, hi) in LIMITS.items():
                v = req.get(key, 64 if key != "frames" else 1)
                if not isinstance(v, int) or isinstance(v, bool) or not lo <= v <= hi:
                    raise ValueError(f"{key} must be an integer from {lo} to {hi}")
                values[key] = v
        except ValueError as e:  # json.JSONDecodeError is a ValueError
            return self.send_json(422, {"error": str(e)})
        # The output is named by the server, never by the request.
        out = os.path.join(self.out_dir, f"render-{uuid.uuid4().hex}.ppm")
        r = renderq("submit", "--exec", "--json", "--name", "web-render", "--timeout", "10m",
                    "--", sys.executable, os.path.join(HERE, "render_job.py"), "--out", out,
                    "--width", str(values["width"]), "--height", str(values["height"]),
                    "--frames", str(values["frames"]))
        if r.returncode != 0:
            return self.send_json(503, {"error": r.stderr.strip()})
        job = json.loads(r.stdout)
        self.send_json(202, {"id": job["id"], "state": job["state"]}, [("Location", f"/renders/{job['id']}")])

    def do_GET(self):
        m = re.fullmatch(r"/renders/([0-9]{1,18})(/image)?", self.path)
        if not m:
            return self.send_json(404, {"error": "not found"})
        r = renderq("status", m.group(1), "--json")
        if r.returncode == 3:
            return self.send_json(404, {"error": f"no render {m.group(1)}"})
        if r.returncode != 0:
            return self.send_json(503, {"error": r.stderr.strip()})
        job = json.loads(r.stdout)
        if job.get("kind") != "exec" or job.get("name") != "web-render":
            return self.send_json(404, {"error": f"no render {m.group(1)}"})
        result = job["exec"]["argv"][job["exec"]["argv"].index("--out") + 1]
        if m.group(2):
            if job["state"] != "succeeded":
                return self.send_json(409, {"error": f"render {job['id']} is {job['state']}"})
            with open(result, "rb") as f:
                data = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "image/x-portable-pixmap")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_json(200, {"id": job["id"], "state": job["state"], "progress": job["progress"],
                             "error": job["error_code"] or None,
                             "result": f"/renders/{job['id']}/image" if job["state"] == "succeeded" else None})

    def log_message(self, fmt, *args):  # quiet: one line per request on stderr
        sys.stderr.write("app: " + (fmt % args) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--out", default=os.path.join(os.getcwd(), "renders"))
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    Handler.out_dir = os.path.abspath(a.out)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
