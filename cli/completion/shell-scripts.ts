// The scripts `devsecrets completion bash|zsh|fish` prints: each asks `devsecrets completion --complete -- WORDS...`
// for the candidates, so the three shells complete the same things from one implementation (candidates.ts).
// Rule: the scripts never eval what the CLI prints; candidates are words, added as words.

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}

const BASH = `# devsecrets completion for bash: eval "$(devsecrets completion bash)" in ~/.bashrc
_devsecrets_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(command devsecrets completion --complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur"))
}
complete -o default -F _devsecrets_complete devsecrets
`;

const ZSH = `#compdef devsecrets
# devsecrets completion for zsh: eval "$(devsecrets completion zsh)" in ~/.zshrc (after compinit)
_devsecrets_complete() {
  local -a candidates
  candidates=(\${(f)"$(command devsecrets completion --complete -- "\${(@)words[2,CURRENT-1]}" 2>/dev/null)"})
  # nothing of ours matches (the command after --, a file): zsh's default completion, as bash's -o default
  compadd -a candidates || _default
}
compdef _devsecrets_complete devsecrets
`;

const FISH = `# devsecrets completion for fish: devsecrets completion fish | source (or save it in ~/.config/fish/completions/)
function __devsecrets_complete
    set -l words (commandline -opc)
    set -l candidates (command devsecrets completion --complete -- $words[2..-1] 2>/dev/null)
    if set -q candidates[1]
        printf '%s\\n' $candidates
    else
        # nothing of ours (the command after --, a file): paths, as bash's -o default
        __fish_complete_path (commandline -ct)
    end
end
complete -c devsecrets -f -a '(__devsecrets_complete)'
`;
