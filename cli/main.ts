// The `devsecrets` command: builds the commander program from cli/commands/<verb>.ts and exits.
// Rule: the only place in devsecrets that calls process.exit; exit codes 0 ok, 1 error, 2 usage.

import { Command, CommanderError } from "commander";
import { PACKAGE_VERSION } from "../daemon/protocol/version.js";
import { renderError } from "./output.js";
import { describeOption, readOptionVariables } from "./options.js";
import { runCommand } from "./commands/run.js";
import { envCommand } from "./commands/env.js";
import { getCommand } from "./commands/get.js";
import { lsCommand } from "./commands/ls.js";
import { checkCommand } from "./commands/check.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { statusCommand } from "./commands/status.js";
import { daemonCommand } from "./commands/daemon.js";
import { doctorCommand } from "./commands/doctor.js";
import { auditCommand } from "./commands/audit.js";
import { loginCommand, logoutCommand } from "./commands/login.js";
import { setCommand, unsetCommand } from "./commands/set.js";
import { shimCommand } from "./commands/shim.js";
import { direnvCommand } from "./commands/direnv.js";
import { scanCommand } from "./commands/scan.js";
import { hookCommand } from "./commands/hook.js";
import { initCommand } from "./commands/init.js";

function applyManners(command: Command): void {
  command
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`devsecrets: ${text.replace(/^error: /, "")}`) })
    .configureHelp({ optionDescription: describeOption })
    .showHelpAfterError("(add --help for usage and an example)");
  for (const sub of command.commands) applyManners(sub);
}

export function buildProgram(): Command {
  const program = new Command("devsecrets")
    .description("local development secrets: references in git, values from the daemon, sandbox tokens offline")
    .version(PACKAGE_VERSION, "-V, --version")
    .enablePositionalOptions()
    .addHelpText(
      "after",
      `
Quick start:
  $ cd examples/hello && devsecrets run -- node app.js
  $ devsecrets ls                 # what the project needs, never values
  $ devsecrets sandbox kinds      # stand-in credentials you can reference

Docs: docs/references.md, docs/protocol.md, docs/errors.md`,
    );
  for (const make of [
    loginCommand,
    logoutCommand,
    setCommand,
    unsetCommand,
    runCommand,
    envCommand,
    getCommand,
    lsCommand,
    checkCommand,
    sandboxCommand,
    statusCommand,
    auditCommand,
    daemonCommand,
    doctorCommand,
    shimCommand,
    direnvCommand,
    scanCommand,
    hookCommand,
    initCommand,
  ]) {
    program.addCommand(make());
  }
  applyManners(program);
  // every command's DEVSECRETS_* variables, read in the dialect once commander has read the flags
  program.hook("preAction", (_program, command) => readOptionVariables(command));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const wantsJson = argv.includes("--json");
  try {
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are successes; every other commander error is bad usage
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      )
        return 0;
      return 2;
    }
    return renderError(error, wantsJson);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
