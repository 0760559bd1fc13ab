# fish completion for renderq. The candidates come from the binary itself
# (`renderq __complete fish WORDS...`), so they always match the installed
# version's subcommands and options; job ids come from the spool.
function __renderq_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l args
    if test (count $tokens) -gt 1
        set args $tokens[2..-1]
    end
    set -l out ($tokens[1] __complete fish $args "$cur" 2>/dev/null)
    switch "$out[1]"
        case ':file'
            __fish_complete_path "$cur"
        case ':dir'
            __fish_complete_directories "$cur"
        case '*'
            printf '%s\n' $out
    end
end
complete -c renderq -f -a '(__renderq_complete)'
