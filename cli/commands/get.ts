// `devsecrets get NAME`: one resolved variable, for a script that needs exactly one value.
// Rule: prints the value only on stdout and only because the user named it.

import { Command } from "commander";
import { envOption } from "../options.js";
import { daemonClient, requestFor, type EnvOption, type JsonOption } from "../context.js";
import { printJson, printNotices } from "../output.js";

export function getCommand(): Command {
  return new Command("get")
    .description("print the value of one project variable")
    .argument("<name>", "the variable's name, as in devsecrets.env")
    .addOption(envOption())
    .option("--json", "print {name, value}")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets get STRIPE_SECRET_KEY
  $ psql "$(devsecrets get DATABASE_URL)"`,
    )
    .action(async (name: string, options: Required<EnvOption> & JsonOption) => {
      // the project's value is asked for, so the caller's own environment does not win here
      const answer = await daemonClient().resolve(requestFor({ env: options.env, override: true, names: [name] }));
      printNotices(answer.notices);
      const value = answer.variables[name] ?? "";
      if (options.json) printJson({ name, value });
      else process.stdout.write(process.stdout.isTTY ? `${value}\n` : value);
    });
}
