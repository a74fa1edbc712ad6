// `devsecrets check`: resolves every reference without printing a value; lists each one that fails.
// Rule: the pre-flight a CI job or a new teammate runs first; exit 1 when anything fails.

import { Command } from "commander";
import { envOption } from "../options.js";
import { daemonClient, requestFor, type EnvOption, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";

export function checkCommand(): Command {
  return new Command("check")
    .description("resolve every reference of the project and report the ones that fail (no values printed)")
    .addOption(envOption())
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets check && npm test`,
    )
    .action(async (options: Required<EnvOption> & JsonOption) => {
      const report = await daemonClient().check(requestFor({ env: options.env, override: false }));
      if (options.json) printJson(report);
      else if (report.problems.length === 0)
        say(`all ${report.checked} variables resolve (${report.project.files.join(", ")})`);
      else {
        for (const p of report.problems) {
          process.stderr.write(
            `devsecrets: ${p.file}:${p.line} ${p.name}: ${p.code}: ${p.message}\ndevsecrets:   hint: ${p.hint}\n`,
          );
        }
        say(`${report.problems.length} of ${report.checked} variables fail`);
      }
      if (report.problems.length > 0) process.exitCode = 1;
    });
}
