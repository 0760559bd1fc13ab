#!/usr/bin/env bash
# The main job: builds renderq, starts a daemon on a private spool, renders
# the bundled example scenes through it, prints where the images are and
# stops the daemon.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh
renderq=$PWD/build/cli/renderq
work=${RENDERQ_EXAMPLE_DIR:-$(mktemp -d /tmp/renderq-example.XXXXXX)}
export RENDERQ_SPOOL=$work/spool
mkdir -p "$work/out"
"$renderq" daemon --log "$work/daemon.log"   # returns once it serves the spool
trap '"$renderq" daemon --stop' EXIT
ids=()
while read -r scene; do
  [ -n "$scene" ] || continue
  name=$(basename "${scene%.*}")
  ids+=("$("$renderq" submit "$scene" -o "$work/out/$name.png" --size 512x512 --name "$name")")
done < <(sed -e 's/#.*//' -e '/^ *$/d' examples/scenes.txt | sed "s|^|$PWD/|")
"$renderq" wait "${ids[@]}" || echo "renderq: some jobs did not succeed (renderq logs ID tells why)" >&2
"$renderq" list
echo "spool: $RENDERQ_SPOOL (daemon log: $work/daemon.log)"
echo "images: $work/out"
