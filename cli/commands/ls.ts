// `devsecrets ls`: the project's variables with their source; never a value.
// Rule: names, schemes and references only.

import { Command } from "commander";
import { envOption } from "../options.js";
import { daemonClient, type EnvOption, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";

export function lsCommand(): Command {
  return new Command("ls")
    .description("list the project's variables and where each comes from (never values)")
    .addOption(envOption())
    .option("--json", "print the list as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets ls
  STRIPE_SECRET_KEY  sandbox   sandbox://stripe/secret-key   devsecrets.env:3`,
    )
    .action(async (options: EnvOption & JsonOption) => {
      const answer = await daemonClient().list({ cwd: process.cwd(), env: options.env });
      if (options.json) return printJson(answer);
      const width = Math.max(4, ...answer.variables.map((v) => v.name.length));
      if (answer.trusted === false) say("this project is not trusted: `devsecrets trust` shows what it asks for");
      for (const v of answer.variables) {
        const state = v.withheld
          ? "  WITHHELD: changes how programs run (devsecrets explain NAME)"
          : v.set === undefined
            ? ""
            : v.set === null
              ? answer.trusted === false
                ? "  (trust the project to see)"
                : "  (log in to see)"
              : v.set
                ? "  set"
                : `  NOT SET: devsecrets set ${(v.reference ?? "").slice("keychain://".length)}`;
        process.stdout.write(
          `${v.name.padEnd(width)}  ${v.source.padEnd(8)}  ${(v.reference ?? "").padEnd(40)}  ${v.file}:${v.line}${state}\n`,
        );
      }
    });
}
