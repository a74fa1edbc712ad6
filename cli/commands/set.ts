// `devsecrets set NAME` and `unset NAME`: the project's keychain:// values.
// Rule: the value comes from stdin or a no-echo prompt, never argv; it is never printed.

import { Command } from "commander";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { readValue } from "../read-value.js";
import { storeKeychainValue } from "../keychain-replace.js";

export function setCommand(): Command {
  return (
    new Command("set")
      .description("store a value for keychain://NAME in this project (read without echo, or from stdin)")
      .argument("<name>", "the name after keychain:// in devsecrets.env")
      // no DEVSECRETS_* variable on purpose: replacing a value must be asked for on the command line
      .option("--force", "replace a different value already stored under the name (asked on a terminal otherwise)")
      .option("--json", "print the result as JSON")
      .addHelpText(
        "after",
        `
Examples:
  $ devsecrets set db-password               # prompts; nothing is shown
  $ pass show team/stripe | devsecrets set stripe-key --force   # rotate from a script`,
      )
      .action(async (name: string, options: JsonOption & { force?: boolean }) => {
        const value = await readValue(name);
        const answer = await storeKeychainValue(
          daemonClient(),
          { cwd: process.cwd(), name, value },
          Boolean(options.force),
        );
        if (options.json) return printJson(answer);
        const used =
          answer.variables.length > 0
            ? ` (used by ${answer.variables.join(", ")})`
            : " (no variable of this project uses it yet)";
        say(`${answer.changed ? "stored" : "unchanged"}: keychain://${answer.name}${used}`);
      })
  );
}

export function unsetCommand(): Command {
  return new Command("unset")
    .description("remove the value of keychain://NAME in this project")
    .argument("<name>", "the name after keychain:// in devsecrets.env")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets unset db-password`,
    )
    .action(async (name: string, options: JsonOption) => {
      const answer = await daemonClient().keychainUnset({ cwd: process.cwd(), name });
      if (options.json) return printJson(answer);
      say(answer.changed ? `removed: keychain://${answer.name}` : `keychain://${answer.name} was not set`);
    });
}
