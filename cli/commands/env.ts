// `devsecrets env --format sh|fish|dotenv|json`: the resolved variables for eval or a file.
// Rule: values go to stdout only, which the user asked for; notices go to stderr.

import { Command, Option } from "commander";
import { envOption, withVariable } from "../options.js";
import { daemonClient, requestFor, type EnvOption } from "../context.js";
import { printNotices } from "../output.js";
import { FORMATS, formatEnv, type EnvFormat } from "../format/env-format.js";

export function envCommand(): Command {
  return new Command("env")
    .description("print the project's variables for a shell (eval) or a file")
    .addOption(
      withVariable(
        new Option("--format <format>", "output format").choices(FORMATS).default("sh"),
        "DEVSECRETS_FORMAT",
      ),
    )
    .addOption(envOption())
    .addOption(
      withVariable(new Option("--override", "include values your environment already sets"), "DEVSECRETS_OVERRIDE"),
    )
    .addHelpText(
      "after",
      `
Examples:
  $ eval "$(devsecrets env)"                    # sh, bash, zsh
  $ devsecrets env --format fish | source       # fish
  $ devsecrets env --format json | jq keys`,
    )
    .action(async (options: Required<EnvOption> & { format: EnvFormat; override?: boolean }) => {
      const answer = await daemonClient().resolve(
        requestFor({ env: options.env, override: options.override === true }),
      );
      printNotices(answer.notices);
      process.stdout.write(formatEnv(answer.variables, options.format));
    });
}
