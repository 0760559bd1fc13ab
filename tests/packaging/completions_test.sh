#!/usr/bin/env bash
# The bash, zsh and fish completion scripts load without error in each shell
# and offer subcommands, options, option values and the spool's job ids.
# Usage: completions_test.sh RENDERQ COMPLETIONS_DIR SAMPLES_DIR
set -euo pipefail
renderq=$1 comp=$2 samples=$3
work=$(mktemp -d /tmp/renderq-comp.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/out"
ln -s "$renderq" "$work/bin/renderq"
export PATH=$work/bin:$PATH RENDERQ_SPOOL=$work/spool XDG_CONFIG_HOME=$work/config HOME=$work
fails=0
expect() {  # expect LABEL OUTPUT WORD...
  local label=$1 out=$2; shift 2
  for w in "$@"; do
    if ! grep -qxF -- "$w" <<<"$out"; then
      echo "FAIL $label: '$w' not offered; got:"; sed 's/^/  | /' <<<"$out"; fails=$((fails + 1))
    fi
  done
}

# Two jobs in a private spool: their ids must be offered after `status`.
id1=$(renderq submit "$samples/Box/glTF-Binary/Box.glb" -o "$work/out/a.png" --name first)
id2=$(renderq submit "$samples/Box/glTF-Binary/Box.glb" -o "$work/out/b.png" --name second)

# bash: source the script, then call its function as readline would.
bash_complete() {
  bash --norc --noprofile -c '
    set -e; source "$1"; shift
    complete -p renderq >/dev/null
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
    _renderq
    printf "%s\n" "${COMPREPLY[@]}"' bash "$comp/renderq.bash" "$@"
}
expect "bash subcommands" "$(bash_complete renderq st)" status
expect "bash subcommands" "$(bash_complete renderq '')" submit status list wait cancel config
expect "bash options" "$(bash_complete renderq submit --s)" --size --samples --spool
expect "bash values" "$(bash_complete renderq submit x.glb --tonemap '')" pbr-neutral aces none
expect "bash job ids" "$(bash_complete renderq status '')" "$id1" "$id2"
expect "bash list --state" "$(bash_complete renderq list --state '')" queued running succeeded failed canceled
expect "bash list --user" "$(bash_complete renderq list --user '')" "$(id -un)"
# retry offers only jobs it can queue again: first is canceled, second still queued.
renderq cancel "$id1" >/dev/null
retry_ids=$(bash_complete renderq retry '')
expect "bash retry ids" "$retry_ids" "$id1"
if grep -qxF -- "$id2" <<<"$retry_ids"; then echo "FAIL bash retry ids: queued job $id2 offered"; fails=$((fails + 1)); fi
cancel_ids=$(bash_complete renderq cancel '')
expect "bash cancel ids" "$cancel_ids" "$id2"
if grep -qxF -- "$id1" <<<"$cancel_ids"; then echo "FAIL bash cancel ids: canceled job $id1 offered"; fails=$((fails + 1)); fi
renderq retry "$id1" >/dev/null
expect "bash files" "$(bash_complete renderq --spool "$work/sp")" "$work/spool"

# fish: `complete -C` runs the completion for a command line.
fish_complete() { fish --no-config -c "source '$comp/renderq.fish'; complete -C'$1'" | cut -f1; }
expect "fish subcommands" "$(fish_complete 'renderq st')" status
expect "fish options" "$(fish_complete 'renderq submit --sa')" --samples
expect "fish job ids" "$(fish_complete 'renderq cancel ')" "$id1" "$id2"

# zsh: an interactive zsh -f in a pseudo-terminal with compinit, typing TAB
# twice; the listing (or the completed line) appears on the terminal.
zsh_complete() {
  zsh -f -c '
    zmodload zsh/zpty
    zpty z zsh -f -i
    # READY$((1+1)) prints READY2, which the echoed command line does not hold.
    zpty -w z "fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; PS1=%%\ ; print READY\$((1+1))"
    zpty -r -m z out "*READY2*"
    zpty -n -w z "$2"$'\''\t'\''
    sleep 1.5
    zpty -n -w z $'\''\t'\''
    sleep 1.5
    out=""
    while zpty -r -t z chunk; do out+=$chunk; done
    zpty -d z
    print -r -- "$out"' zsh "$comp" "$1" | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
}
out=$(zsh_complete 'renderq stat')
grep -q 'renderq status' <<<"$out" || { echo "FAIL zsh subcommand: $out"; fails=$((fails + 1)); }
out=$(zsh_complete 'renderq wait ')
grep -q -- "$id1 *-- *[a-z]* first" <<<"$out" && grep -q -- "$id2 *-- *[a-z]* second" <<<"$out" ||
  { echo "FAIL zsh job ids: $out"; fails=$((fails + 1)); }
out=$(zsh_complete 'renderq submit --samp')
grep -q -- 'renderq submit --samples' <<<"$out" || { echo "FAIL zsh option: $out"; fails=$((fails + 1)); }

# Loading must print nothing (no errors) in any shell.
[ -z "$(bash --norc -c "source '$comp/renderq.bash'" 2>&1)" ] || { echo "FAIL bash load"; fails=$((fails + 1)); }
[ -z "$(fish --no-config -c "source '$comp/renderq.fish'" 2>&1)" ] || { echo "FAIL fish load"; fails=$((fails + 1)); }
[ -z "$(zsh -f -c "autoload -Uz compinit; compinit -u -D; fpath=($comp \$fpath); autoload -Uz _renderq" 2>&1)" ] ||
  { echo "FAIL zsh load"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "completions: all checks passed"
exit "$fails"
