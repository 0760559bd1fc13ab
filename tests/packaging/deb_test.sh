#!/usr/bin/env bash
# Builds the .deb with CPack, checks its metadata, unpacks it with dpkg -x
# into a scratch root (no chroot, no root rights needed) and runs the
# installed binary: start a daemon on a private spool, submit, wait, the
# image exists. Also verifies the packaged system units under that root.
# Usage: deb_test.sh BUILD_DIR SAMPLES_DIR
set -euo pipefail
build=$1 samples=$2
work=$(mktemp -d /tmp/renderq-deb.XXXXXX)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# 1. Build the package into the scratch folder.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/renderq_*.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# 2. Metadata: dependencies come from dpkg-shlibdeps, the config is a conffile.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libepoxy0 libsystemd0 libpng16-16; do  # toml++ and SQLite are compiled in
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib"
done
# Read whole before grep: `grep -q` exits at its match, and under pipefail a writer
# still writing (tar lists entry by entry) dies of SIGPIPE and fails the check.
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)
grep -qx /etc/renderq/config.toml <<<"$conffiles" || fail "conffiles"
control_files=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
grep -q postinst <<<"$control_files" || fail "no postinst"
grep -q postrm <<<"$control_files" || fail "no postrm"
# renderq becomes the shared spool's set-group-id submit helper on install.
postinst=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst)
grep -q "dpkg-statoverride --update --add root renderq 2755 /usr/bin/renderq" <<<"$postinst" ||
  fail "postinst does not make renderq set-group-id renderq"

# 3. Unpack into a scratch root; every file in its standard place.
root=$work/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/renderq usr/libexec/renderq/renderq-full usr/share/man/man1/renderq.1 usr/share/man/man1/renderq-config.1 \
  usr/share/bash-completion/completions/renderq usr/share/zsh/vendor-completions/_renderq \
  usr/share/fish/vendor_completions.d/renderq.fish usr/lib/systemd/system/renderq.service \
  usr/lib/systemd/system/renderq-serve.service usr/lib/systemd/system/renderq-purge.service \
  usr/lib/systemd/system/renderq-purge.timer usr/lib/systemd/user/renderq-serve.service \
  usr/lib/systemd/user/renderq-purge.service usr/lib/systemd/user/renderq-purge.timer \
  usr/lib/systemd/user/renderq.service usr/lib/sysusers.d/renderq.conf usr/lib/tmpfiles.d/renderq.conf \
  etc/renderq/config.toml; do
  [ -e "$root/$f" ] || fail "package lacks /$f"
done
grep -qx 'ExecStart=/usr/bin/renderq daemon --foreground' "$root/usr/lib/systemd/system/renderq.service" ||
  fail "system unit ExecStart: $(grep ExecStart "$root/usr/lib/systemd/system/renderq.service")"
grep -qx 'Environment=RENDERQ_CONFIG=/etc/renderq/config.toml' "$root/usr/lib/systemd/system/renderq.service" ||
  fail "system unit config path"
# verify --root would need systemd's own units in the scratch root; instead
# verify copies whose ExecStart names the unpacked binary, with the package's
# man pages on MANPATH (Documentation=).
mkdir -p "$work/units"
for f in "$root"/usr/lib/systemd/system/*; do
  sed "s|/usr/bin/renderq|$root/usr/bin/renderq|" "$f" >"$work/units/$(basename "$f")"
done
for f in "$work"/units/*; do
  out=$(cd "$work" && MANPATH=$root/usr/share/man: systemd-analyze verify "$f" 2>&1) &&
    [ -z "$out" ] || fail "systemd-analyze verify $(basename "$f"): $out"
done
grep -qxF 'ExecStart=/usr/bin/renderq purge --older-than ${RENDERQ_PURGE_OLDER_THAN}' \
  "$root/usr/lib/systemd/system/renderq-purge.service" || fail "purge unit ExecStart"

# 4. The installed binary works: daemon, submit, wait, image.
rq=$root/usr/bin/renderq
export RENDERQ_SPOOL=$work/spool XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache HOME=$work
"$rq" --version
"$rq" daemon --foreground >"$work/daemon.log" 2>&1 &
daemon_pid=$!
id=$("$rq" submit "$samples/Box/glTF-Binary/Box.glb" -o "$work/out.png" --size 128x128)
rc=0; "$rq" wait "$id" --timeout 120s || rc=$?
[ "$rc" -eq 0 ] || { fail "wait exited $rc"; cat "$work/daemon.log"; "$rq" status "$id" || true; }
[ -s "$work/out.png" ] && file "$work/out.png" | grep -q 'PNG image data, 128 x 128' || fail "no 128x128 image"
"$rq" daemon --stop >/dev/null 2>&1 || kill "$daemon_pid"
wait "$daemon_pid" 2>/dev/null || true
daemon_pid=

[ "$fails" -eq 0 ] && echo "deb: all checks passed"
exit "$fails"
