// The fast path of `devsecrets run`: reads run's flags without commander and goes straight to the child.
// Rule: same flags, output and exit codes as the commander command; anything it does not recognise returns null for the full CLI.

import { readRunArgs, runChild } from "./run-child.js";
import { renderError } from "./output.js";

/** `args` is everything after `run`; resolves with the exit code, or null when the full CLI must handle these arguments */
export async function runFast(args: readonly string[]): Promise<number | null> {
  try {
    const parsed = readRunArgs(args);
    if (!parsed) return null;
    return await runChild(parsed.argv, parsed.options);
  } catch (error) {
    // as cli/main.ts: --json anywhere on the line asks for errors as JSON
    return renderError(error, args.includes("--json"));
  }
}
