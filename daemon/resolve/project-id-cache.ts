// Project ids kept across daemon starts: a cold start's first resolve then needs no `git config` process (~10-15 ms of
// wall time on every cold start, bench/cold-start). Each entry holds the id and a fingerprint of everything git's
// answer depends on: the git found on PATH, HOME and XDG_CONFIG_HOME, the global and system configs' text, and for the
// root and each parent up to `/` the stat of `.git` and `HEAD` (git's discovery walk), with the repository config's
// text when `.git` is a directory.
// Rule: a cache problem never changes an id. Anything the fingerprint cannot vouch for (`.git` a file, an [include],
// worktreeConfig, a bare repository on the walk, an odd PATH, a read error, git failing or absent) means git runs as
// before and nothing is kept. The file lives only in the private state folder (compile-cache.ts's check), 0600,
// written atomically, at most MAX_ROOTS roots. It holds hashes and paths, no value. The checks are synchronous: some
// 30 stats and a few small reads take well under a millisecond, where awaiting each through libuv's pool took ~5 ms,
// as long as the git process they replace; a config is read only when a stat says it is a regular file of <= 256 KiB.

import { createHash, randomBytes } from "node:crypto";
import { constants, type BigIntStats } from "node:fs";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { isProjectId, lookupOrigin, projectIdOf } from "../session/stores/keychain-names.js";
import { privateStateFolder } from "../start/compile-cache.js";

export const PROJECT_ID_CACHE_FILE = "project-ids.json";
const MAX_ROOTS = 1000;
const MAX_FILE = 1024 * 1024;
const MAX_CONFIG = 256 * 1024;
const VERSION = 1;
/** config text that makes git read another file than the ones fingerprinted */
const INDIRECT = /^\s*\[\s*include|worktreeconfig/im;

interface Entry {
  id: string;
  fp: string;
  at: number;
}

class Uncacheable extends Error {}

/** the compute function for cachedProjectIds: the kept id when its fingerprint still holds, else git's answer */
export function persistentProjectIds(env: NodeJS.ProcessEnv = process.env): (root: string) => Promise<string> {
  let writes: Promise<void> = Promise.resolve();
  return async (root) => {
    const folder = privateStateFolder(env);
    const real = realpathSync(root);
    const fp = folder === null ? null : safeFingerprint(real);
    const file = folder === null ? "" : join(folder, PROJECT_ID_CACHE_FILE);
    if (fp !== null) {
      const kept = readEntries(file)[real];
      if (kept !== undefined && kept.fp === fp) return kept.id;
    }
    const origin = await lookupOrigin(root);
    const id = projectIdOf(origin.url, real);
    if (fp !== null && origin.definitive) {
      writes = writes.then(() => storeEntry(file, real, { id, fp, at: Date.now() })).catch(() => undefined);
    }
    return id;
  };
}

/** the kept entries; a missing, unreadable, oversized or malformed file is an empty cache */
export function readEntries(file: string): Record<string, Entry> {
  const entries: Record<string, Entry> = Object.create(null);
  try {
    const info = statSync(file);
    if (!info.isFile() || info.size > MAX_FILE) return entries;
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null) return entries;
    const { v, roots } = parsed as { v?: unknown; roots?: unknown };
    if (v !== VERSION || typeof roots !== "object" || roots === null || Array.isArray(roots)) return entries;
    for (const [root, value] of Object.entries(roots)) {
      const { id, fp, at } = (value ?? {}) as Partial<Entry>;
      if (typeof id === "string" && isProjectId(id) && typeof fp === "string" && typeof at === "number") {
        entries[root] = { id, fp, at };
      }
    }
  } catch {
    // no cache: git answers
  }
  return entries;
}

async function storeEntry(file: string, root: string, entry: Entry): Promise<void> {
  const entries = readEntries(file);
  entries[root] = entry;
  const kept = Object.entries(entries)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, MAX_ROOTS);
  const text = JSON.stringify({ v: VERSION, roots: Object.fromEntries(kept) });
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(text);
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/** the fingerprint, or null when the cache cannot vouch for the root */
function safeFingerprint(realRoot: string): string | null {
  try {
    return fingerprint(realRoot, process.env);
  } catch {
    return null;
  }
}

/** a digest of everything `git -C root config --get remote.origin.url` reads; throws Uncacheable when it cannot tell */
export function fingerprint(realRoot: string, env: NodeJS.ProcessEnv): string {
  const git = gitOnPath(env.PATH ?? "");
  const home = env.HOME ?? "";
  const xdg = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, "git", "config") : join(home, ".config", "git", "config");
  const configs = [
    join(home, ".gitconfig"),
    xdg,
    "/etc/gitconfig",
    join(dirname(dirname(git.path)), "etc", "gitconfig"),
  ];
  const parts: string[] = [`git ${git.path} ${git.stat}`, `home ${home}`, `xdg ${env.XDG_CONFIG_HOME ?? ""}`];
  for (const config of configs) parts.push(`config ${config} ${configText(config)}`);
  for (let dir = realRoot; ; dir = dirname(dir)) {
    parts.push(...discoveryStep(dir));
    if (dirname(dir) === dir) break;
  }
  return createHash("sha256").update(parts.join("\n"), "utf8").digest("hex");
}

/** what git's discovery sees in one folder: `.git` (a repository config when a folder), and no bare repository */
function discoveryStep(dir: string): string[] {
  const dotGit = join(dir, ".git");
  const dotGitInfo = statOf(dotGit);
  const head = statOf(join(dir, "HEAD"));
  // a HEAD beside the project's files may make the folder a bare repository: git's own rules decide, not ours
  if (head !== null) throw new Uncacheable("HEAD");
  const parts = [`dir ${dir} ${describe(dotGitInfo)}`];
  if (dotGitInfo === null) return parts;
  // a .git file points elsewhere (a worktree, a submodule): not fingerprinted
  if (!dotGitInfo.isDirectory()) throw new Uncacheable(".git file");
  const inner = statOf(join(dotGit, "HEAD"));
  const commondir = statOf(join(dotGit, "commondir"));
  if (commondir !== null) throw new Uncacheable("commondir");
  parts.push(`head ${describe(inner)}`, `repo ${configText(join(dotGit, "config"))}`);
  return parts;
}

/** a config file's digest ("-" when absent); one that reads other files, or too big to read, is Uncacheable */
function configText(path: string): string {
  const info = statOf(path);
  if (info === null) return "-";
  if (!info.isFile() || info.size > MAX_CONFIG) throw new Uncacheable("config");
  const text = readFileSync(path, "utf8");
  if (INDIRECT.test(text)) throw new Uncacheable("include");
  return `${describe(info)} ${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** the git execFile runs: the first executable `git` on PATH; a relative or empty PATH entry is Uncacheable */
function gitOnPath(path: string): { path: string; stat: string } {
  // the candidates before the one found are kept too: a git that appears earlier on PATH is another git
  const skipped: string[] = [];
  for (const dir of path.split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) throw new Uncacheable("PATH");
    const candidate = join(dir, "git");
    const info = statOf(candidate);
    if (info?.isFile() && (info.mode & 0o111n) !== 0n) {
      return { path: realpathSync(candidate), stat: `${describe(info)} ${skipped.join(" ")}` };
    }
    skipped.push(`${candidate}=${describe(info)}`);
  }
  // no git: the id comes from the path, but an installed git later may change it, so nothing is kept
  throw new Uncacheable("no git");
}

function statOf(path: string): BigIntStats | null {
  try {
    return statSync(path, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
}

function describe(info: BigIntStats | null): string {
  if (info === null) return "-";
  return [info.dev, info.ino, info.mode, info.uid, info.size, info.mtimeNs, info.ctimeNs].join(":");
}
