// `devsecrets set NAME` and `unset NAME`: the project's keychain:// values.
// Rule: the value comes from stdin or a no-echo prompt, never argv; it is never printed.

import { Command } from "commander";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { readValue } from "../read-value.js";

export function setCommand(): Command {
  return new Command("set")
    .description("store a value for keychain://NAME in this project (read without echo, or from stdin)")
    .argument("<name>", "the name after keychain:// in devsecrets.env")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets set db-password               # prompts; nothing is shown
  $ pass show team/stripe | devsecrets set stripe-key`,
    )
    .action(async (name: string, options: JsonOption) => {
      const value = await readValue(name);
      const answer = await daemonClient().keychainSet({ cwd: process.cwd(), name, value });
      if (options.json) return printJson(answer);
      const used =
        answer.variables.length > 0
          ? ` (used by ${answer.variables.join(", ")})`
          : " (no variable of this project uses it yet)";
      say(`${answer.changed ? "stored" : "unchanged"}: keychain://${answer.name}${used}`);
    });
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
