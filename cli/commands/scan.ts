// `devsecrets scan [PATH...] [--staged]`: secrets in files, values this session served, tracked .env files.
// Rule: prints where and which rule with a redacted preview, never a secret; exit 1 on a real finding, sandbox tokens pass.

import { Command, Option } from "commander";
import { withVariable } from "../options.js";
import { DaemonClient } from "../../daemon/client/client.js";
import { DevsecretsError } from "../../common/errors.js";
import type { JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { ServedMatcher } from "../scan/served-check.js";
import { scanTargets } from "../scan/scanner.js";
import { listStaged, listTargets, type TargetList } from "../scan/targets.js";

interface ScanOptions extends JsonOption {
  staged?: boolean;
}

/** the session's fingerprints from a running daemon; none (and said once) when no daemon runs */
async function servedMatcher(quiet: boolean): Promise<ServedMatcher | null> {
  try {
    const answer = await new DaemonClient({ env: process.env, autostart: false }).guardFingerprints();
    return new ServedMatcher(answer);
  } catch (error) {
    if (!quiet) {
      const why =
        error instanceof DevsecretsError && error.code === "DS_DAEMON_UNREACHABLE"
          ? "no daemon is running"
          : "the daemon did not answer";
      say(`${why}: values served this session were not checked (secretlint's rules were)`);
    }
    return null;
  }
}

export function scanCommand(): Command {
  return new Command("scan")
    .description(
      "find secrets in files: secretlint's recommended rules, values this session served, tracked .env files",
    )
    .argument("[paths...]", "files or folders (default: the current folder; .gitignore is respected)")
    .addOption(
      withVariable(
        new Option("--staged", "scan what `git commit` would record (the index), not the work tree"),
        "DEVSECRETS_SCAN_STAGED",
      ),
    )
    .option("--json", "print the findings as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets scan                 # this folder, as git sees it
  $ devsecrets scan --staged        # what the pre-commit hook runs (devsecrets hook install)
  $ devsecrets scan src config.yml --json

Sandbox tokens (sandbox://) are reported as harmless and do not fail the scan.`,
    )
    .action(async (paths: string[], options: ScanOptions) => {
      const cwd = process.cwd();
      let list: TargetList | null;
      if (options.staged) {
        if (paths.length > 0)
          throw new DevsecretsError("DS_USAGE", "--staged scans the index; it takes no paths", {
            hint: "run `devsecrets scan --staged` or `devsecrets scan PATH...`",
          });
        list = await listStaged(cwd);
        if (list === null)
          throw new DevsecretsError("DS_USAGE", `${cwd} is not in a git repository`, {
            hint: "--staged needs a repository; scan files with `devsecrets scan PATH`",
          });
      } else {
        try {
          list = await listTargets(paths, cwd);
        } catch (error) {
          const path = (error as { path?: string }).path;
          if (path === undefined) throw error;
          throw new DevsecretsError("DS_USAGE", `no such file or folder: ${path}`, {
            hint: "give existing files or folders",
          });
        }
      }
      const matcher = await servedMatcher(Boolean(options.json));
      const result = await scanTargets(list, matcher);
      const real = result.findings.filter((f) => !f.sandbox);
      if (real.length > 0) process.exitCode = 1;
      if (options.json) return printJson({ findings: result.findings, scanned: result.scanned });
      for (const f of result.findings) {
        const preview = f.preview ? `  ${f.preview}` : "";
        process.stdout.write(`${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.kind}${preview}\n`);
      }
      const harmless = result.findings.length - real.length;
      const sandboxNote = harmless > 0 ? ` (${harmless} sandbox token${harmless === 1 ? "" : "s"}, harmless)` : "";
      say(`${real.length} finding${real.length === 1 ? "" : "s"} in ${result.scanned} files${sandboxNote}`);
      if (real.length > 0)
        say(
          "remove each secret (and rotate it if it was ever pushed), or store it with `devsecrets set NAME` and reference keychain://NAME",
        );
    });
}
