#!/usr/bin/env bash
# The queue page with 100 jobs in mixed states, in headless Chromium at
# 1280x900 (issue 16): at least 20 rows fit the window; held and paused are
# shown; the per-state actions are real buttons; an output outside the served
# roots shows "not served" and is requested at most once over 6 s of virtual
# time (the server's --access-log counts the requests). The screenshot is
# kept as a test artifact.
# usage: page_actions_test.sh RENDERQ SAMPLES_DIR ARTIFACT_DIR
set -euo pipefail
RENDERQ=$1
samples=$2
artifacts=$3
. "$(dirname "$0")/serve_lib.sh"
mkdir -p "$artifacts" "$tmp/outside"
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || die "chromium is not installed (scripts/install-deps.sh test)"
box=$samples/Box/glTF-Binary/Box.glb
[ -f "$box" ] || die "no sample $box"
cp "$box" "$tmp/root/box.glb"

start_server --access-log
start_daemon

post() { curl -sf -X POST -H 'Content-Type: application/json' --data "${2:-}" "$base$1" >/dev/null || die "POST $1 failed"; }
cli_submit() { "$RENDERQ" submit "$@" --size 32x32 2>>"$tmp/submit.err" || die "submit $* failed"; }

# Succeeded, served: outputs in the spool (server-chosen).
served=()
for i in $(seq 8); do
  curl -sf -o "$tmp/s.json" -H 'Content-Type: application/json' \
    --data "{\"name\":\"served-$i\",\"spec\":{\"scene\":\"$tmp/root/box.glb\",\"width\":32,\"height\":32}}" \
    "$base/v1/jobs" || die "HTTP submit failed"
  served+=("$(json_field '["id"]' <"$tmp/s.json")")
done
# Succeeded, not served: outputs outside the spool and the allowed roots.
outside=()
for i in $(seq 4); do outside+=("$(cli_submit "$tmp/root/box.glb" -o "$tmp/outside/o$i.png" --name "outside-$i")"); done
for id in "${served[@]}" "${outside[@]}"; do wait_state "$id" succeeded; done

# Failed: the scene is gone by the time the daemon runs the job.
post /v1/queue/pause
failed=()
for i in $(seq 6); do
  cp "$box" "$tmp/gone$i.glb"
  failed+=("$(cli_submit "$tmp/gone$i.glb" -o "$tmp/outside/f$i.png" --name "scene-deleted-$i")")
  rm "$tmp/gone$i.glb"
done
post /v1/queue/resume
for id in "${failed[@]}"; do
  for _ in $(seq 600); do
    s=$(curl -sf "$base/v1/jobs/$id" | json_field '["state"]')
    [ "$s" = failed ] && break
    sleep 0.1
  done
  [ "$s" = failed ] || die "job $id is $s, wanted failed"
done

# The rest stays queued under a paused queue: plain, held, scheduled, canceled.
post /v1/queue/pause
held=() canceled=()
for i in $(seq 82); do
  args=("$tmp/root/box.glb" -o "$tmp/outside/q$i.png" --name "queued-shot-$(printf %03d "$i")")
  if [ $((i % 8)) -eq 0 ]; then held+=("$(cli_submit "${args[@]}" --hold)")
  elif [ $((i % 10)) -eq 1 ]; then cli_submit "${args[@]}" --not-before +2h >/dev/null
  elif [ $((i % 9)) -eq 2 ]; then canceled+=("$(cli_submit "${args[@]}")")
  else cli_submit "${args[@]}" --priority $((i % 3)) >/dev/null
  fi
done
for id in "${canceled[@]}"; do curl -sf -X DELETE "$base/v1/jobs/$id" >/dev/null || die "cancel $id failed"; done
total=$(curl -sf "$base/v1/queue" | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["counts"].values()))')
[ "$total" = 100 ] || die "expected 100 jobs, have $total"

# browse [FRAGMENT] [chromium options...]
browse() {
  local frag=$1
  shift
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$tmp/chrome.XXXXXX")" \
    --window-size=1280,900 --hide-scrollbars --virtual-time-budget=6000 "$@" "$base/$frag" 2>>"$tmp/chrome.err"
}
before=$(wc -l <"$tmp/serve.err")
browse "" --dump-dom >"$tmp/dom.html"
tail -n +"$((before + 1))" "$tmp/serve.err" >"$tmp/access.log"

python3 - "$tmp/dom.html" "$tmp/access.log" "${outside[*]}" "${held[*]}" "${failed[*]}" "${served[*]}" <<'PY' || die "page checks failed"
import re, sys
dom, log = open(sys.argv[1]).read(), open(sys.argv[2]).read().splitlines()
outside, held, failed, served = (a.split() for a in sys.argv[3:7])
ok = True
def check(cond, what):
    global ok
    print(("ok: " if cond else "FAIL: ") + what)
    ok = ok and cond
body = re.search(r"<body([^>]*)>", dom).group(1)
attr = lambda name: (re.search(name + r'="([^"]*)"', body) or [None, ""])[1]
rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr id="job-(\d+)".*?</tr>', dom)}
check(len(rows) == 100, f"100 rows rendered ({len(rows)})")
check(int(attr("data-rows-visible") or 0) >= 20, f"at least 20 rows within 1280x900 ({attr('data-rows-visible')}, row height {attr('data-row-height')} px)")
check(attr("data-paused") == "true" and '<span id="queue-state" class="paused">paused</span>' in dom, "the queue shows paused")
check('<button id="pause" type="button">resume</button>' in dom, "a resume button")
for i in outside: check("not served" in rows.get(i, ""), f"job {i} (output outside the roots) shows not served")
for i in served: check('class="thumb" src="blob:' in rows.get(i, ""), f"job {i} shows its thumbnail")
for i in held:
    check('data-shown="held"' in rows.get(i, "") and f'data-key="release-{i}"' in rows.get(i, ""), f"job {i} shows held with a release button")
for i in failed:
    r = rows.get(i, "")
    check('data-state="failed"' in r and f'<button type="button" title="retry job {i}" data-key="retry-{i}">' in r, f"job {i} failed with a retry button")
check(any('data-shown="scheduled"' in r for r in rows.values()), "a scheduled job")
check(any('data-key="cancel-' in r and 'data-key="prio-up-' in r and 'data-key="hold-' in r for r in rows.values()), "cancel, priority and hold buttons on a queued job")
check(all('data-key="log-' in r for r in rows.values()), "a log button on every row")
check(not re.search(r"\bon(click|mouse\w*)=", dom), "no inline mouse handlers")
lists = sum(1 for l in log if re.search(r" GET /v1/jobs \d+$", l))
check(lists >= 5, f"the page polled the list at least 5 times ({lists})")
for i in outside:
    n = sum(1 for l in log if re.search(rf" GET /v1/jobs/{i}/output \d+$", l))
    check(n == 1, f"the output of job {i} was requested once ({n})")
for i in served:
    n = sum(1 for l in log if re.search(rf" GET /v1/jobs/{i}/output \d+$", l))
    check(n == 1, f"the output of job {i} was requested once ({n})")
sys.exit(0 if ok else 1)
PY

# The filter in the URL's fragment: only the finished jobs, then a name glob.
browse "#state=succeeded,failed,canceled" --dump-dom >"$tmp/finished.html"
python3 - "$tmp/finished.html" <<'PY' || die "state filter checks failed"
import re, sys
rows = re.findall(r'<tr id="job-\d+" data-state="(\w+)"', open(sys.argv[1]).read())
print(f"finished filter: {len(rows)} rows")
sys.exit(0 if len(rows) == 25 and set(rows) == {"succeeded", "failed", "canceled"} else 1)
PY
browse "#name=outside-*" --dump-dom >"$tmp/named.html"
n=$(grep -o '<tr id="job-' "$tmp/named.html" | wc -l)
[ "$n" = 4 ] || die "name filter outside-* shows $n rows, wanted 4"

for view in "" "#state=succeeded,failed,canceled"; do
  png=$artifacts/queue-page-100-jobs${view:+-finished}.png
  browse "$view" --screenshot="$png" >/dev/null
  [ -s "$png" ] || die "no screenshot $png"
  echo "ok: screenshot in $png"
done
