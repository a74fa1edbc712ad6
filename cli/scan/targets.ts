// What `scan` reads: files under the given paths (git's view in a repository, a walk elsewhere) or the staged blobs.
// Rule: .gitignore is respected; node_modules, .git and dist are never walked; a file is read only when scanned.

import { lstat, readdir, readFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { git, gitText, splitZ } from "./git.js";

export interface ScanTarget {
  /** the path shown to the user: relative to the working directory */
  file: string;
  read(): Promise<Buffer | null>;
}

export interface TargetList {
  targets: ScanTarget[];
  /** value-bearing .env files git tracks (or, with --staged, is about to commit) */
  trackedEnvFiles: string[];
}

const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist"]);
const ENV_TEMPLATES = new Set([".env.example", ".env.sample", ".env.template"]);

/** `.env`, `.env.*` (not the templates) and `devsecrets.local.env`: files that hold values, not references */
export function isValueBearingEnvFile(path: string): boolean {
  const name = basename(path);
  if (name === "devsecrets.local.env") return true;
  if (ENV_TEMPLATES.has(name)) return false;
  return name === ".env" || name.startsWith(".env.");
}

async function readRegular(path: string): Promise<Buffer | null> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

function fileTarget(absolute: string, cwd: string): ScanTarget {
  return { file: relative(cwd, absolute) || basename(absolute), read: () => readRegular(absolute) };
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, out);
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
}

export async function listTargets(paths: readonly string[], cwd: string): Promise<TargetList> {
  const targets: ScanTarget[] = [];
  const trackedEnvFiles: string[] = [];
  const seen = new Set<string>();
  const add = (absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    targets.push(fileTarget(absolute, cwd));
  };
  for (const path of paths.length > 0 ? paths : ["."]) {
    const absolute = resolve(cwd, path);
    let info;
    try {
      info = await lstat(absolute);
    } catch {
      throw Object.assign(new Error(`no such file or folder: ${path}`), { path });
    }
    if (!info.isDirectory()) {
      add(absolute);
      continue;
    }
    const listed = await git(absolute, ["ls-files", "-co", "--exclude-standard", "-z", "--", "."]);
    if (listed === null) {
      const files: string[] = [];
      await walk(absolute, files);
      files.sort().forEach(add);
      continue;
    }
    for (const file of splitZ(listed)) add(join(absolute, file));
    for (const file of splitZ(await git(absolute, ["ls-files", "-z", "--", "."]))) {
      if (isValueBearingEnvFile(file)) trackedEnvFiles.push(relative(cwd, join(absolute, file)));
    }
  }
  return { targets, trackedEnvFiles };
}

/** the blobs `git commit` would record: added, copied, modified, renamed; read from the index, not the work tree */
export async function listStaged(cwd: string): Promise<TargetList | null> {
  const top = await gitText(cwd, ["rev-parse", "--show-toplevel"]);
  if (top === null) return null;
  const names = splitZ(await git(top, ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"]));
  const targets = names.map(
    (name): ScanTarget => ({
      file: relative(cwd, join(top, name)),
      read: () => git(top, ["show", `:${name}`]),
    }),
  );
  return {
    targets,
    trackedEnvFiles: names.filter(isValueBearingEnvFile).map((name) => relative(cwd, join(top, name))),
  };
}
