// `devsecrets version` (also -v, -V, --version): the package's version, and with --json the Node that runs it.
// Rule: asks the daemon nothing, so it answers where no daemon can start.

import { Command } from "commander";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";
import type { JsonOption } from "../context.js";
import { printJson } from "../output.js";

export function versionCommand(): Command {
  return new Command("version")
    .description("print the version of devsecrets (also -v, -V, --version)")
    .option("--json", "print {version, node}")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets version`,
    )
    .action((options: JsonOption) => {
      if (options.json) return printJson({ version: PACKAGE_VERSION, node: process.versions.node });
      process.stdout.write(`${PACKAGE_VERSION}\n`);
    });
}
