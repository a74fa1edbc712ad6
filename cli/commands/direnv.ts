// `devsecrets direnv`: prints the `use devsecrets` function for ~/.config/direnv/direnvrc (or an .envrc).
// Rule: the snippet only calls `devsecrets env --format sh`; values never pass through this command.

import { Command } from "commander";

export const DIRENV_SNIPPET = `# devsecrets for direnv: put this in ~/.config/direnv/direnvrc, then write \`use devsecrets\` in .envrc
# (arguments pass to \`devsecrets env\`, e.g. \`use devsecrets --env staging\`)
use_devsecrets() {
  watch_file devsecrets.env devsecrets.*.env devsecrets.json
  local devsecrets_exports
  devsecrets_exports="$(devsecrets env --format sh "$@")" || return $?
  eval "$devsecrets_exports"
}
`;

export function direnvCommand(): Command {
  return new Command("direnv")
    .description("print the `use devsecrets` function for direnv")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets direnv >> ~/.config/direnv/direnvrc
  $ echo 'use devsecrets' >> .envrc && direnv allow`,
    )
    .action(() => {
      process.stdout.write(DIRENV_SNIPPET);
    });
}
