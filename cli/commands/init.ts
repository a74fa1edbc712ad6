// `devsecrets init [--from .env] [--remove]`: an existing .env becomes keychain items plus references in devsecrets.env.
// Rule: prints names and decisions, never values; the old file goes only with --remove, after every value read back.

import { Command, Option } from "commander";
import { withVariable } from "../options.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { runInit } from "../init/run-init.js";

interface InitCommandOptions extends JsonOption {
  from: string;
  remove?: boolean;
  force?: boolean;
}

export function initCommand(): Command {
  return (
    new Command("init")
      .description("turn an existing .env into devsecrets.env references and keychain items (needs a login)")
      .addOption(
        withVariable(new Option("--from <file>", "the dotenv file to read").default(".env"), "DEVSECRETS_INIT_FROM"),
      )
      .addOption(
        withVariable(
          new Option("--remove", "delete the old file once every moved value reads back from the keychain"),
          "DEVSECRETS_INIT_REMOVE",
        ),
      )
      // no DEVSECRETS_* variable on purpose: replacing a value must be asked for on the command line
      .option("--force", "replace keychain items that already hold another value (asked on a terminal otherwise)")
      .option("--json", "print the decisions as JSON")
      .addHelpText(
        "after",
        `
Examples:
  $ devsecrets login && devsecrets init            # secrets to the keychain, config stays literal
  $ devsecrets init --from .env.local --remove     # and delete the old file once verified

Safe to re-run: a run that stopped half way is completed, nothing is lost.`,
      )
      .action(async (options: InitCommandOptions) => {
        const report = await runInit(daemonClient(), {
          cwd: process.cwd(),
          from: options.from,
          remove: Boolean(options.remove),
          env: process.env,
          force: Boolean(options.force),
        });
        if (options.json) return printJson(report);
        for (const v of report.variables) {
          const what =
            v.decision === "keychain"
              ? `${v.reference} (${v.reason})`
              : v.decision === "literal"
                ? `literal (${v.reason})`
                : v.reason;
          say(`${v.name}: ${what}`);
        }
        const moved = report.variables.filter((v) => v.decision === "keychain").length;
        say(
          `${report.file}: ${moved} secret${moved === 1 ? "" : "s"} moved to the keychain and verified, ${report.variables.length - moved} kept as written`,
        );
        if (report.gitignoreAdded) say(`.gitignore: added ${report.from}`);
        say(
          report.removed
            ? `removed ${report.from}`
            : `${report.from} is still there; delete it yourself or re-run with --remove`,
        );
      })
  );
}
