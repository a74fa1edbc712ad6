// Runs git for the scanner and the hook: argv only (no shell), output as a Buffer, failures as null.
// Rule: never prints git's output; a failing git means "not a repository" to the caller, who decides.

import { execFile } from "node:child_process";

export function git(cwd: string, args: string[]): Promise<Buffer | null> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      { cwd, encoding: "buffer", maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } },
      (error, stdout) => {
        resolve(error ? null : stdout);
      },
    );
  });
}

export async function gitText(cwd: string, args: string[]): Promise<string | null> {
  const out = await git(cwd, args);
  return out === null ? null : out.toString("utf8").trim();
}

/** NUL-separated paths (git's -z output) */
export function splitZ(out: Buffer | null): string[] {
  if (out === null) return [];
  return out
    .toString("utf8")
    .split("\0")
    .filter((p) => p !== "");
}
