// `devsecrets shim path node|python|go`: absolute paths of the language shims, for a global install.
// Rule: prints paths that exist; a missing build is an error with the fix, never a path to nothing.

import { Argument, Command } from "commander";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DevsecretsError } from "../../common/errors.js";
import { printJson } from "../output.js";
import type { JsonOption } from "../context.js";

export const SHIM_LANGUAGES = ["node", "python", "go"] as const;
type ShimLanguage = (typeof SHIM_LANGUAGES)[number];

/** node: the ESM preload for --import; python: the folder for PYTHONPATH; go: the module folder */
export function shimPath(language: ShimLanguage): string {
  // this file is dist/cli/commands/shim.js: the build sits two folders up, the checkout three
  const relative = { node: "../../shims/node/register.js", python: "../../../shims/python", go: "../../../shims/go" }[
    language
  ];
  return fileURLToPath(new URL(relative, import.meta.url));
}

export function shimCommand(): Command {
  const shim = new Command("shim").description("where the Node, Python and Go shims are, for a global install");
  shim
    .command("path")
    .description("print the absolute path of a shim")
    .addArgument(new Argument("<language>", "the shim").choices(SHIM_LANGUAGES))
    .option("--json", "print it as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ NODE_OPTIONS="--import=$(devsecrets shim path node)" node app.js
  $ PYTHONPATH="$(devsecrets shim path python)" DEVSECRETS_AUTOLOAD=1 python app.py
  $ go mod edit -replace github.com/devsecrets/devsecrets/shims/go="$(devsecrets shim path go)"`,
    )
    .action((language: ShimLanguage, options: JsonOption) => {
      const path = shimPath(language);
      if (!existsSync(path)) {
        throw new DevsecretsError("DS_INTERNAL", `the ${language} shim is not at ${path}`, {
          hint:
            language === "node"
              ? "run `npm run build` in the devsecrets checkout, or reinstall devsecrets"
              : "reinstall devsecrets",
        });
      }
      if (options.json) return printJson({ language, path });
      process.stdout.write(`${path}\n`);
    });
  return shim;
}
