#!/usr/bin/env bash
# The one device check for a lent NVIDIA machine (see the device README):
# unpacks carried GL loader packages, builds renderq and render_bench with
# -j16, lists the EGL devices and runs the render benchmark on the default
# (first hardware) device, then the same benchmark on llvmpipe for a
# side-by-side on one machine. Everything it prints also goes to $OUT.
#
#   bash bench/gpu-check.sh            (on the device machine, from the repo root)
#
# Locally (no GPU) it runs the same steps on llvmpipe, which is how it is tested.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-$(mktemp -d)}
log=$out/gpu-check.txt
exec > >(tee "$log") 2>&1

# 1. Loaders: glvnd's libEGL/libOpenGL from the carried .gl/*.deb, NVIDIA's vendor file.
if compgen -G ".gl/*.deb" >/dev/null; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nv=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$nv" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$nv
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo "(no nvidia-smi)"

# 2. Build only what the check needs.
missing=()
for p in cmake ninja pkg-config g++; do command -v "$p" >/dev/null || missing+=("$p"); done
pkg-config --exists epoxy egl 2>/dev/null || missing+=("libepoxy-dev/libegl-dev")
if [ ${#missing[@]} -gt 0 ]; then
  echo "gpu-check: missing build tools: ${missing[*]}"
  exit 3
fi
build=build-gpu
t0=$(date +%s)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >"$out/cmake.log" 2>&1 ||
  { tail -30 "$out/cmake.log"; exit 4; }
cmake --build "$build" -j16 --target renderq render_bench >"$out/build.log" 2>&1 ||
  { grep -E "error|FAILED" -A3 "$out/build.log" | head -40; exit 5; }
echo "gpu-check: built in $(( $(date +%s) - t0 )) s"

# 3. Devices, as users see them.
"$build/cli/renderq" devices
"$build/cli/renderq" devices --json >"$out/devices.json"

# 4. The render benchmark on the default device (the GPU where EGL finds one) ...
echo "== render bench, default device"
BENCH_FRAMES=${BENCH_FRAMES:-8} bench/render_bench.sh "$build"
# 5. ... and on llvmpipe on the same machine (glvnd limited to Mesa), side by side.
echo "== render bench, llvmpipe (same machine)"
__EGL_VENDOR_LIBRARY_FILENAMES=/usr/share/glvnd/egl_vendor.d/50_mesa.json \
  BENCH_FRAMES=${BENCH_FRAMES:-8} bench/render_bench.sh "$build" || echo "(llvmpipe run failed)"
echo "gpu-check: log in $log"
