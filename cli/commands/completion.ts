// `devsecrets completion bash|zsh|fish`: a completion script for the shell; the script calls back
// `devsecrets completion --complete -- WORDS...` for the candidates (cli/completion/candidates.ts).
// Rule: completing never starts the daemon and never prints a value.

import { Command } from "commander";
import { DevsecretsError } from "../../common/errors.js";
import { completionCandidates } from "../completion/candidates.js";
import { completionScript, SHELLS, type Shell } from "../completion/shell-scripts.js";

export function completionCommand(): Command {
  return new Command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .argument("[shell...]", "bash, zsh or fish")
    .option("--complete", "print the candidates after the words that follow `--` (what the scripts call)")
    .addHelpText(
      "after",
      `
Examples:
  $ eval "$(devsecrets completion bash)"        # in ~/.bashrc
  $ eval "$(devsecrets completion zsh)"         # in ~/.zshrc, after compinit
  $ devsecrets completion fish > ~/.config/fish/completions/devsecrets.fish`,
    )
    .action(async (words: string[], options: { complete?: boolean }, command: Command) => {
      if (options.complete) {
        const root = command.parent as Command;
        const candidates = await completionCandidates(root, words, process.cwd());
        if (candidates.length > 0) process.stdout.write(`${candidates.join("\n")}\n`);
        return;
      }
      const [shell, ...rest] = words;
      if (!shell || rest.length > 0 || !(SHELLS as readonly string[]).includes(shell))
        throw new DevsecretsError("DS_USAGE", `completion needs one shell: ${SHELLS.join(", ")}`, {
          hint: "run `devsecrets completion bash` (or zsh, fish)",
        });
      process.stdout.write(completionScript(shell as Shell));
    });
}
