// `devsecrets shim path node|python|go`: absolute paths of the language shims, for a global install.
// Rule: prints paths that exist; a missing build is an error with the fix, never a path to nothing.

import { Argument, Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { printJson } from "../output.js";
import { packageRoot } from "../package-root.js";
import type { JsonOption } from "../context.js";

export const SHIM_LANGUAGES = ["node", "python", "go"] as const;
type ShimLanguage = (typeof SHIM_LANGUAGES)[number];

/**
 * node: the ESM preload for --import (with `cjs`, the CommonJS one for -r, which an ESM file cannot be: Node answers
 * ERR_REQUIRE_ASYNC_MODULE); python: the folder for PYTHONPATH; go: the module folder
 */
export function shimPath(language: ShimLanguage, cjs = false): string {
  const relative = {
    node: cjs ? "dist/shims/node/register.cjs" : "dist/shims/node/register.js",
    python: "shims/python",
    go: "shims/go",
  }[language];
  return join(packageRoot(), relative);
}

export function shimCommand(): Command {
  const shim = new Command("shim").description("where the Node, Python and Go shims are, for a global install");
  shim
    .command("path")
    .description("print the absolute path of a shim")
    .addArgument(new Argument("<language>", "the shim").choices(SHIM_LANGUAGES))
    .option("--cjs", "node: the CommonJS preload, for `node -r` (the default is the ESM one, for --import)")
    .option("--json", "print it as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ NODE_OPTIONS="--import=$(devsecrets shim path node)" node app.js
  $ node -r "$(devsecrets shim path node --cjs)" app.js
  $ PYTHONPATH="$(devsecrets shim path python)" DEVSECRETS_AUTOLOAD=1 python app.py
  $ go mod edit -replace github.com/devsecrets/devsecrets/shims/go="$(devsecrets shim path go)"`,
    )
    .action((language: ShimLanguage, options: JsonOption & { cjs?: boolean }) => {
      if (options.cjs && language !== "node")
        throw new DevsecretsError("DS_USAGE", `--cjs is for the node shim, not ${language}`, {
          hint: "run `devsecrets shim path node --cjs`",
        });
      const path = shimPath(language, options.cjs === true);
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
