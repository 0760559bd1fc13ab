#!/usr/bin/env bash
# `cmake --install` puts every file in its standard place, the systemd units
# pass `systemd-analyze verify`, and the installed completion scripts load.
# The prefix is a scratch folder, so ExecStart= names the installed binary
# there and verify checks a file that really exists.
# Usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/renderq-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/usr
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
fails=0
for f in bin/renderq libexec/renderq/renderq-full \
  share/man/man1/renderq.1 share/man/man1/renderq-config.1 \
  share/bash-completion/completions/renderq share/zsh/vendor-completions/_renderq \
  share/fish/vendor_completions.d/renderq.fish \
  lib/systemd/user/renderq.service lib/systemd/system/renderq.service \
  lib/systemd/system/renderq-serve.service lib/systemd/system/renderq-purge.service \
  lib/systemd/system/renderq-purge.timer lib/systemd/user/renderq-serve.service \
  lib/systemd/user/renderq-purge.service lib/systemd/user/renderq-purge.timer \
  lib/sysusers.d/renderq.conf lib/tmpfiles.d/renderq.conf etc/renderq/config.toml; do
  [ -s "$prefix/$f" ] || { echo "FAIL missing $f"; fails=$((fails + 1)); }
done

# The units name the installed binary and config.
grep -qx "ExecStart=$prefix/bin/renderq daemon --foreground" "$prefix/lib/systemd/system/renderq.service" ||
  { echo "FAIL system unit ExecStart"; fails=$((fails + 1)); }
grep -qx "Environment=RENDERQ_CONFIG=$prefix/etc/renderq/config.toml" "$prefix/lib/systemd/system/renderq.service" ||
  { echo "FAIL system unit config"; fails=$((fails + 1)); }
# The installed system config is valid.
grep -q '^dir = "/var/spool/renderq"' <<<"$("$prefix/bin/renderq" --config "$prefix/etc/renderq/config.toml" config)" ||
  { echo "FAIL system config"; fails=$((fails + 1)); }

# The installed renderq finds renderq-full for serve (a bad --listen is
# refused there with the usage code, so nothing is bound).
rc=0; "$prefix/bin/renderq" serve --listen 127.0.0.1:bad 2>"$work/serve.err" || rc=$?
[ "$rc" -eq 2 ] && grep -q 'bad port' "$work/serve.err" ||
  { echo "FAIL installed serve via renderq-full: exit $rc: $(cat "$work/serve.err")"; fails=$((fails + 1)); }

# systemd-analyze verify: syntax, ExecStart exists and is executable, and
# the Documentation= man pages resolve (MANPATH points at the install).
export MANPATH=$prefix/share/man:
# (tests/packaging/units_test.sh checks the other units and their sandbox.)
for unit in system user; do
  if ! out=$(cd "$work" && systemd-analyze verify "$prefix/lib/systemd/$unit/renderq.service" 2>&1) || [ -n "$out" ]; then
    echo "FAIL systemd-analyze verify ($unit unit):"; echo "$out"; fails=$((fails + 1))
  fi
done

# The installed completions load.
bash --norc -c "source '$prefix/share/bash-completion/completions/renderq' && complete -p renderq" >/dev/null ||
  { echo "FAIL bash completion load"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "install: all checks passed"
exit "$fails"
