#!/usr/bin/env bash
# The renderq people type runs the queue commands only and starts without
# the renderer's, the daemon's, the HTTP server's libraries
# (cpp-httplib, OpenSSL, brotli: half of a submit's start-up cost, see
# cli/full_exec.hpp) or a window system's (GLFW, libOpenGL, X11: measured
# +7 ms of CPU and +165 page faults on a hello world; a command that needs
# them runs in renderq-full like serve), and `serve` still works by exec'ing
# renderq-full; without renderq-full, serve fails with a clear error and the
# other commands are unaffected.
source "$(dirname "$0")/lib.sh"

# A static renderq (the normal build) makes ldd say "not a dynamic executable".
libs=$(ldd "$RENDERQ" 2>&1 || true)
for lib in libcpp-httplib libssl libcrypto libbrotli libglfw libOpenGL libX11 libsystemd libgcrypt \
  libsqlite3 libpng libjpeg libepoxy libEGL libGL; do
  case "$libs" in *"$lib"*) fail "renderq loads $lib at start-up" ;; *) pass "renderq does not load $lib" ;; esac
done

# serve runs in renderq-full: a bad --listen is refused there (usage, exit 2).
expect 2 "serve through renderq-full: bad --listen" "$RENDERQ" serve --listen 127.0.0.1:nope
expect_diag "bad port"
expect 0 "serve --help" "$RENDERQ" serve --help
case "$stdout" in *--allow-root*) ;; *) fail "serve --help lacks its options: $stdout" ;; esac

# A serve that really listens: port 0, the URL on stdout, /healthz, SIGTERM.
"$RENDERQ" serve --listen 127.0.0.1:0 >"$work/url" 2>"$work/serve.err" &
serve_pid=$!
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -n1 "$work/url")
case "$url" in http://127.0.0.1:*) pass "serve printed $url" ;; *) fail "serve printed '$url': $(cat "$work/serve.err")" ;; esac
if command -v curl >/dev/null && [ -n "$url" ]; then
  case "$(curl -sf "${url}healthz")" in *'"ok"'*) pass "healthz answers" ;; *) fail "healthz did not answer" ;; esac
fi
kill -TERM "$serve_pid"
rc=0; wait "$serve_pid" || rc=$?
[ "$rc" -eq 0 ] || fail "serve exited $rc on SIGTERM"

# The other commands run in renderq-full with the same command line.
expect 0 "--help lists the commands renderq-full runs" "$RENDERQ" --help
case "$stdout" in *daemon*render*devices*serve*) ;; *) fail "--help lacks daemon/render/devices/serve: $stdout" ;; esac
expect 0 "daemon --help through renderq-full" "$RENDERQ" daemon --help
case "$stdout" in *--foreground*) ;; *) fail "daemon --help lacks its options: $stdout" ;; esac
expect 2 "a typo is a usage error" "$RENDERQ" sumbit "$BOX"
expect_diag "unknown command 'sumbit'"
expect 2 "an unknown option of a queue command" "$RENDERQ" status --bogus 1
expect_diag "--bogus"

# A renderq copied alone (no renderq-full beside it or in libexec): serve
# names what is missing and exits 1; the queue commands still work.
mkdir -p "$work/alone/bin"
cp "$RENDERQ" "$work/alone/bin/renderq"
expect 1 "serve without renderq-full" "$work/alone/bin/renderq" serve --listen 127.0.0.1:0
expect_diag "renderq-full is missing"
expect_stdout_empty
expect 0 "submit without renderq-full" "$work/alone/bin/renderq" submit "$BOX" -o "$out/a.png"
expect 1 "daemon without renderq-full" "$work/alone/bin/renderq" daemon --foreground
expect_diag "renderq-full is missing"
expect 0 "--help without renderq-full" "$work/alone/bin/renderq" --help
case "$stdout" in *submit*) ;; *) fail "--help without renderq-full lacks submit: $stdout" ;; esac
expect 0 "--version without renderq-full" "$work/alone/bin/renderq" --version
finish
