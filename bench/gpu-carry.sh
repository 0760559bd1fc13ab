#!/usr/bin/env bash
# Packs renderq builds for the lent GPU machine, which has no Debian packages:
# the binaries (stripped) and every shared library `ldd` lists for them except
# glibc's own, plus glvnd's loaders (libEGL, libOpenGL, libGLdispatch), into
# .gpu/ (ignored by .gitignore; name it in the device tool's `carry`).
#
#   bench/gpu-carry.sh NAME=BUILD_DIR [NAME=BUILD_DIR ...]
#     e.g. bench/gpu-carry.sh base=/tmp/build-base main=build
#
# Layout: .gpu/lib/*.so*, .gpu/NAME/cli/{renderq,renderq-full},
# .gpu/NAME/bench/<benchmark drivers>. bench/gpu-run.sh uses it there.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
rm -rf .gpu
mkdir -p .gpu/lib
bins=()
for pair in "$@"; do
  name=${pair%%=*} dir=${pair#*=}
  for rel in cli/renderq cli/renderq-full bench/render_bench bench/daemon_bench bench/draw_floor \
             bench/encode_bench; do
    [ -x "$dir/$rel" ] || continue
    mkdir -p ".gpu/$name/$(dirname "$rel")"
    strip -o ".gpu/$name/$rel" "$dir/$rel"
    bins+=(".gpu/$name/$rel")
  done
done
# glibc stays the machine's own (a newer glibc runs older binaries; a carried one would not match its loader).
skip='^(linux-vdso|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so)'
for b in "${bins[@]}"; do
  { ldd "$b" 2>/dev/null || true; } | awk '$3 ~ /^\// {print $1, $3}'
done | sort -u | while read -r soname path; do
  [[ $soname =~ $skip ]] && continue
  cp -L "$path" ".gpu/lib/$soname"
done
for so in libEGL.so.1 libOpenGL.so.0 libGLdispatch.so.0; do
  cp -L "/lib/x86_64-linux-gnu/$so" .gpu/lib/
done
du -sh .gpu
