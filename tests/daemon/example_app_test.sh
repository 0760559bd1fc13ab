#!/usr/bin/env bash
# examples/web_app: the request answers 202 at once while the work runs as a
# command job; status reports progress and the result; bad input is a 422
# that queues nothing.
source "$(dirname "$0")/lib.sh"
SRC=$(cd "$HERE/../.." && pwd)
export RENDERQ
start_daemon
python3 "$SRC/examples/web_app/app.py" --port 0 --out "$work/renders" > "$work/app.out" 2>"$work/app.err" &
app=$!
trap 'kill $app 2>/dev/null || true; cleanup' EXIT
wait_until 10 grep -q listening "$work/app.out" || fail "the app did not start: $(cat "$work/app.err")"
url=$(sed -n 's/listening on //p' "$work/app.out")

python3 - "$url" "$RENDERQ" <<'PY'
import json, subprocess, sys, time, urllib.request, urllib.error
url, rq = sys.argv[1], sys.argv[2]

def call(method, path, body=None):
    req = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)

for bad in ({"width": 0}, {"frames": "3; rm -rf /"}, {"shell": "id"}, [1, 2]):
    code, _, _ = call("POST", "/renders", bad)
    assert code == 422, (bad, code)
jobs = json.loads(subprocess.run([rq, "list", "--json"], capture_output=True, check=True).stdout)
assert jobs == [], "a refused request queued a job"

t = time.time()
code, body, headers = call("POST", "/renders", {"width": 32, "height": 16, "frames": 5})
took = time.time() - t
assert code == 202, code
job = json.loads(body)
assert headers["Location"] == f"/renders/{job['id']}"
assert took < 5, f"the 202 took {took:.1f} s"
end = time.time() + 60
while time.time() < end:
    code, body, _ = call("GET", f"/renders/{job['id']}")
    status = json.loads(body)
    if status["state"] in ("succeeded", "failed", "canceled"):
        break
    time.sleep(0.1)
assert status["state"] == "succeeded", status
assert status["progress"] == {"done": 5, "total": 5}, status
code, image, _ = call("GET", status["result"])
assert code == 200 and image.startswith(b"P6 32 16 255\n") and len(image) == 13 + 32 * 16 * 3, (code, image[:20])
assert call("GET", "/renders/999999")[0] == 404
PY
grep -q "CUDA_VISIBLE_DEVICES=''" "$RENDERQ_SPOOL/jobs/1/job.log" || fail "the job log lacks the job's own output"
stop_daemon
echo ok
