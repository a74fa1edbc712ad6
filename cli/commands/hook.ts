// `devsecrets hook install|uninstall`: the git pre-commit hook that runs `devsecrets scan --staged`.
// Rule: an existing hook is chained and restored exactly; the bypass (git commit --no-verify) is documented, not hidden.

import { Command } from "commander";
import type { JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { installHook, uninstallHook } from "../hook/pre-commit.js";

export function hookCommand(): Command {
  const hook = new Command("hook")
    .description("install or remove the git pre-commit hook that runs `devsecrets scan --staged`")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets hook install      # an existing pre-commit hook keeps running, first
  $ devsecrets hook uninstall    # puts back exactly what was there

A blocked commit can be made once anyway with: git commit --no-verify`,
    );
  hook
    .command("install")
    .description("write the pre-commit hook (core.hooksPath is respected; an existing hook is chained)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets hook install && git commit   # the commit is scanned first`,
    )
    .action(async (options: JsonOption) => {
      const change = await installHook(process.cwd());
      if (options.json) return printJson(change);
      say(
        `${change.changed ? "installed" : "already installed"}: ${change.hook}${change.chained ? " (your previous hook runs first)" : ""}`,
      );
      say("to commit once without the check: git commit --no-verify");
    });
  hook
    .command("uninstall")
    .description("remove the pre-commit hook and restore the one it chained")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets hook uninstall`,
    )
    .action(async (options: JsonOption) => {
      const change = await uninstallHook(process.cwd());
      if (options.json) return printJson(change);
      if (!change.changed) say(`no devsecrets hook at ${change.hook}; nothing changed`);
      else say(`removed: ${change.hook}${change.chained ? " (your previous hook is back)" : ""}`);
    });
  return hook;
}
