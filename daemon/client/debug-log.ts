// The client's and the CLI's `devsecrets: debug: …` lines on stderr, on with `--verbose` or DEVSECRETS_LOG=debug.
// Rule: a line names steps, paths, routes, codes and timings, never a value, a token or a request body; the daemon has
// its own log and never writes these.

let forced = false;

/** `--verbose` turns the lines on for the rest of this process */
export function setVerbose(on: boolean): void {
  forced = on;
}

/** whether debug lines are written: `--verbose`, or DEVSECRETS_LOG=debug in the caller's environment */
export function debugEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return forced || env.DEVSECRETS_LOG === "debug";
}

/** one debug line; `describe` is called only when the lines are on, so a quiet run builds no text */
export function debug(describe: () => string): void {
  if (debugEnabled()) process.stderr.write(`devsecrets: debug: ${describe()}\n`);
}
