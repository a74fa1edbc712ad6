// `devsecrets scan [PATH...] [--staged]`: secrets in files, values this session served, tracked .env files.
// Rule: prints where and which rule with a redacted preview, never a secret; exit 1 on a real finding, sandbox tokens pass.

import { Command, Option } from "commander";
import { withVariable } from "../options.js";
import { DaemonClient } from "../../daemon/client/client.js";
import { DevsecretsError } from "../../common/errors.js";
import type { JsonOption } from "../context.js";
import { printJson, say } from "../output.js";
import { MintedRegistry, mintedRegistryPath } from "../../common/minted-registry.js";
import { stateDir } from "../../common/paths.js";
import type { Finding } from "../scan/finding.js";
import { ServedMatcher } from "../scan/served-check.js";
import { scanTargets } from "../scan/scanner.js";
import { listStaged, listTargets, type TargetList } from "../scan/targets.js";

interface ScanOptions extends JsonOption {
  staged?: boolean;
  explain?: boolean;
}

/** a finding as --json prints it: `why` only when asked, so the shape without --explain stays as it was */
function shown(finding: Finding, explain: boolean): object {
  const { why, dismissed: _dismissed, ...rest } = finding;
  return explain ? { ...rest, why } : rest;
}

function printLine(f: Finding, explain: boolean): void {
  const preview = f.preview ? `  ${f.preview}` : "";
  process.stdout.write(`${f.file}:${f.line}:${f.column}  ${f.rule}  ${f.kind}${preview}\n`);
  if (explain) process.stdout.write(`    why: ${f.why}\n`);
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
    .addOption(
      withVariable(
        new Option("--explain", "say why each finding is or is not a leak; list matches that are no credential"),
        "DEVSECRETS_SCAN_EXPLAIN",
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
  $ devsecrets scan --explain       # why each one is (or is not) a leak

Sandbox tokens are reported as harmless and do not fail the scan: those this session served, those this machine's
sandbox minted in earlier sessions (their fingerprints are kept in the state folder), and fakes with a marker (AWS's
example account, Stripe test mode).`,
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
      const registry = MintedRegistry.read(mintedRegistryPath(stateDir(process.env)));
      const result = await scanTargets(list, { served: matcher, registry });
      const real = result.findings.filter((f) => !f.sandbox);
      if (real.length > 0) process.exitCode = 1;
      const explain = Boolean(options.explain);
      if (options.json)
        return printJson({
          findings: result.findings.map((f) => shown(f, explain)),
          scanned: result.scanned,
          ...(explain ? { dismissed: result.dismissed.map((f) => shown(f, true)) } : {}),
        });
      for (const f of result.findings) printLine(f, explain);
      if (explain && result.dismissed.length > 0) {
        process.stdout.write("matched by a rule, but no credential:\n");
        for (const f of result.dismissed) printLine(f, true);
      }
      const harmless = result.findings.length - real.length;
      const sandboxNote = harmless > 0 ? ` (${harmless} sandbox token${harmless === 1 ? "" : "s"}, harmless)` : "";
      say(
        `${real.length} finding${real.length === 1 ? "" : "s"} in ${result.scanned} file${result.scanned === 1 ? "" : "s"}${sandboxNote}`,
      );
      if (real.length > 0)
        say(
          "remove each secret (and rotate it if it was ever pushed), or store it with `devsecrets set NAME` and reference keychain://NAME",
        );
    });
}
