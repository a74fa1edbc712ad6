// `devsecrets run -- CMD ARGS...`: the child gets the project's variables on top of the caller's environment.
// Rule: the child's exit code and signals pass through; names of kept variables are said, values never.

import { Command, Option } from "commander";
import { envOption, withVariable } from "../options.js";
import { runChild, type RunOptions } from "../run-child.js";

export function runCommand(): Command {
  return new Command("run")
    .description("run a command with the project's variables in its environment")
    .argument("<command...>", "the command and its own arguments, after --")
    .addOption(envOption())
    .addOption(
      withVariable(
        new Option("--override", "let the project's values replace ones already set in your environment"),
        "DEVSECRETS_OVERRIDE",
      ),
    )
    .addOption(
      withVariable(new Option("--no-mask", "do not mask served values in the child's output"), "DEVSECRETS_NO_MASK"),
    )
    .passThroughOptions()
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets run -- npm start
  $ PORT=4000 devsecrets run -- node server.js --verbose   # your PORT wins
  $ devsecrets run --env staging --override -- ./deploy.sh`,
    )
    .action(async (argv: string[], options: RunOptions) => {
      process.exitCode = await runChild(argv, options);
    });
}
