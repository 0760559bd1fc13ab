# bash completion for renderq. The candidates come from the binary itself
# (`renderq __complete bash WORDS...`), so they always match the installed
# version's subcommands and options; job ids come from the spool.
_renderq() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local out
  out=$("${COMP_WORDS[0]}" __complete bash "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return 0
  case $out in
    :file) compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
    :dir) compopt -o filenames 2>/dev/null || true; mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
  esac
  local words
  words=$(printf '%s\n' "$out" | cut -f1)
  local IFS=$'\n'
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -F _renderq renderq
