#!/usr/bin/env bash
# Command jobs over HTTP only through the config's named templates (issue 15
# point 4): a template job end to end through `renderq serve` and a daemon;
# a shell metacharacter, a path outside the allowed roots, an unknown or
# missing parameter, a bad integer or enum word, an unknown template and a
# request with an argv are each refused (422) and store nothing. The CLI's
# `submit --template` takes the same template.
# usage: template_test.sh RENDERQ SAMPLES_DIR
set -euo pipefail
RENDERQ=$1
. "$(dirname "$0")/serve_lib.sh"

mkdir -p "$tmp/out" "$tmp/outside"
echo scene >"$tmp/root/scene.txt"
echo secret >"$tmp/outside/secret.txt"
cat >"$tmp/config.toml" <<TOML
[templates.copy]
argv = ["cp", "{scene}", "$tmp/out/frame_{frame}_{quality}.txt"]
cwd = "$tmp"
params.scene = { type = "file" }
params.frame = { type = "int", min = 1, max = 100 }
params.quality = { type = "enum", values = ["draft", "final"] }
TOML
export RENDERQ_CONFIG=$tmp/config.toml
start_server
start_daemon

post() {  # post JSON: prints the status; the body goes to $tmp/reply.json
  curl -s -o "$tmp/reply.json" -w '%{http_code}' -H 'Content-Type: application/json' --data "$1" "$base/v1/jobs" || true
}
count() { "$RENDERQ" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

code=$(post '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt", "frame": 7, "quality": "final"}, "name": "t1"}')
[ "$code" = 202 ] || die "a template job answered $code: $(cat "$tmp/reply.json")"
id=$(json_field '["id"]' <"$tmp/reply.json")
[ "$(json_field '["kind"]' <"$tmp/reply.json")" = exec ] || die "the job is not a command job: $(cat "$tmp/reply.json")"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert "env" not in j["exec"] and "PATH" in j["exec"]["env_names"], j' \
  "$tmp/reply.json" || die "the job JSON should name the environment, not show it"
wait_state "$id" succeeded 60
[ "$(cat "$tmp/out/frame_7_final.txt")" = scene ] || die "the command did not run with the parameters"

stored=$(count)
refused() {  # refused WHAT JSON TEXT: 422 naming TEXT, nothing stored
  local code
  code=$(post "$2")
  [ "$code" = 422 ] || die "$1 answered $code: $(cat "$tmp/reply.json")"
  grep -q "$3" "$tmp/reply.json" || die "$1: the error should name '$3': $(cat "$tmp/reply.json")"
  [ "$(count)" = "$stored" ] || die "$1 stored a job"
  echo "ok: $1 refused"
}
p='"frame": 1, "quality": "draft"'
refused "a shell metacharacter" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt;rm -rf /", '"$p"'}}' "metacharacter"
refused "a path outside the roots" '{"template": "copy", "params": {"scene": "'"$tmp"'/outside/secret.txt", '"$p"'}}' "params.scene"
refused "a .. escape" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/../outside/secret.txt", '"$p"'}}' "params.scene"
refused "an unknown parameter" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt", '"$p"', "extra": 1}}' "unknown parameter"
refused "a missing parameter" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt", "frame": 1}}' "quality"
refused "an integer out of range" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt", "frame": 101, "quality": "draft"}}' "from 1 to 100"
refused "a word not in the enum" '{"template": "copy", "params": {"scene": "'"$tmp"'/root/scene.txt", "frame": 1, "quality": "$(id)"}}' "one of"
refused "an unknown template" '{"template": "bash", "params": {}}' "no template"
refused "an argv" '{"exec": {"argv": ["sh", "-c", "id"]}}' "never taken over HTTP"
refused "a template with a spec" '{"template": "copy", "spec": {"scene": "x"}}' "one of"

# The CLI takes the same template by name.
cid=$("$RENDERQ" submit --template copy scene="$tmp/root/scene.txt" frame=9 quality=draft) || die "submit --template failed"
"$RENDERQ" wait "$cid" >/dev/null || die "the CLI's template job failed: $("$RENDERQ" status "$cid")"
[ -f "$tmp/out/frame_9_draft.txt" ] || die "the CLI's template job wrote nothing"
rc=0
"$RENDERQ" submit --template copy scene="$tmp/root/scene.txt" frame=0 quality=draft >/dev/null 2>"$tmp/cli.err" || rc=$?
[ "$rc" = 2 ] && grep -q "from 1 to 100" "$tmp/cli.err" || die "submit --template with frame=0: exit $rc, $(cat "$tmp/cli.err")"
rc=0
"$RENDERQ" submit --template nope x=1 >/dev/null 2>"$tmp/cli.err" || rc=$?
[ "$rc" = 2 ] && grep -q "no template 'nope'" "$tmp/cli.err" || die "an unknown template: exit $rc, $(cat "$tmp/cli.err")"

# A template the config gets wrong is a config error naming it.
printf '[templates.bad]\nargv = ["{prog}", "x"]\nparams.prog = { type = "file" }\n' >"$tmp/bad.toml"
rc=0
RENDERQ_CONFIG=$tmp/bad.toml "$RENDERQ" submit --template bad prog=x >/dev/null 2>"$tmp/cli.err" || rc=$?
[ "$rc" = 2 ] && grep -q "templates.bad" "$tmp/cli.err" || die "a bad template: exit $rc, $(cat "$tmp/cli.err")"
echo "all checks passed"
