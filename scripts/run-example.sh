#!/usr/bin/env bash
# The main job: builds renderq, makes a private spool, queues the bundled
# example scenes and prints where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
scripts/build.sh
renderq=$PWD/build/cli/renderq
work=${RENDERQ_EXAMPLE_DIR:-$(mktemp -d /tmp/renderq-example.XXXXXX)}
export RENDERQ_SPOOL=$work/spool
mkdir -p "$work/out"
ids=()
while read -r scene; do
  [ -n "$scene" ] || continue
  name=$(basename "${scene%.*}")
  ids+=("$("$renderq" submit "$scene" -o "$work/out/$name.png" --size 512x512 --name "$name")")
done < <(sed -e 's/#.*//' -e '/^ *$/d' examples/scenes.txt | sed "s|^|$PWD/|")
"$renderq" list
echo "spool: $RENDERQ_SPOOL"
echo "images (once rendered): $work/out"
