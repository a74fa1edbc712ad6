// What trusting a project allows: the parts of its files that need trust, sorted, and their SHA-256 digest.
// Rule: only credential references, dangerous names and credential-routing settings count, so an edit to literals or
// sandbox references never asks again; the listing is cached by the files' stats, re-read only when one changed.

import { createHash } from "node:crypto";
import { readdirSync, realpathSync, statSync } from "node:fs";
import { readProjectFileSync } from "../resolve/read-project-file.js";
import { join } from "node:path";
import { dangerousName } from "../../common/dangerous-names.js";
import { parseEnvFile } from "../../common/env-file-parser.js";

export type TrustItemKind = "reference" | "dangerous-name" | "setting" | "file";

export interface TrustItem {
  kind: TrustItemKind;
  /** the file, relative to the root */
  file: string;
  /** 0 for devsecrets.json settings */
  line: number;
  /** the variable, or the setting's key path ("vault.address") */
  name: string;
  /** the reference, the dangerous variable's text, the setting's JSON value, or a file's SHA-256 */
  text: string;
  /** why it needs trust, one line */
  why: string;
  /** SHA-256 of kind, file, name and text (not the line: moving a line asks nothing) */
  hash: string;
}

export interface TrustListing {
  root: string;
  items: TrustItem[];
  /** SHA-256 over the sorted item hashes: what `POST /v1/trust` must quote */
  digest: string;
}

export const PROJECT_SETTINGS_FILE = "devsecrets.json";
// in any case: on a case-insensitive file system (macOS, Windows) the resolver's devsecrets.local.env is the file
// DEVSECRETS.LOCAL.ENV, which an exact match left out of the listing and the digest
const ENV_FILE = /^devsecrets(\.[^/]+)?\.env$/i;

/** references that reach the user's credentials; platform-store schemes are listed ahead of their providers */
const CREDENTIAL_SCHEMES = ["keychain://", "vault://", "aws-sm://", "aws-ssm://", "sops://"];
/** sandbox kinds that use a server the user configured with their own credentials */
const CREDENTIAL_SANDBOX = /^sandbox:\/\/postgres\/(role|database)(?=$|[/?#])/;
/** settings of devsecrets.json that never send a credential anywhere; every other key needs trust */
const HARMLESS_SETTINGS = new Set(["$schema"]);

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function item(fields: Omit<TrustItem, "hash">): TrustItem {
  return { ...fields, hash: sha256(JSON.stringify([fields.kind, fields.file, fields.name, fields.text])) };
}

/** what in one env file needs trust */
function envFileItems(file: string, text: string): TrustItem[] {
  let entries: ReturnType<typeof parseEnvFile>;
  try {
    entries = parseEnvFile(text, file);
  } catch {
    // the resolver reports the syntax error; trust, if given, covers the file's whole text
    return [
      item({ kind: "file", file, line: 0, name: file, text: sha256(text), why: "could not be parsed as a whole" }),
    ];
  }
  const items: TrustItem[] = [];
  for (const entry of entries) {
    const value = entry.value;
    const reference = entry.quote !== "single";
    if (reference && CREDENTIAL_SCHEMES.some((scheme) => value.startsWith(scheme))) {
      const scheme = value.slice(0, value.indexOf(":"));
      items.push(
        item({
          kind: "reference",
          file,
          line: entry.line,
          name: entry.name,
          text: value,
          why: `reads your ${scheme} credentials`,
        }),
      );
    } else if (reference && CREDENTIAL_SANDBOX.test(value)) {
      items.push(
        item({
          kind: "reference",
          file,
          line: entry.line,
          name: entry.name,
          text: value,
          why: "creates roles on the PostgreSQL admin server you configured",
        }),
      );
    }
    const dangerous = dangerousName(entry.name);
    // a sandbox:// value of such a name is the daemon's own (see dangerous-names.ts): nothing to trust
    if (dangerous && !(dangerous.sandboxServed && reference && value.startsWith("sandbox://"))) {
      items.push(
        item({ kind: "dangerous-name", file, line: entry.line, name: entry.name, text: value, why: dangerous.why }),
      );
    }
  }
  return items;
}

const MAX_SETTINGS_DEPTH = 64;

/** iterative, so that measuring a hostile nesting cannot overflow the stack either */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** every leaf of devsecrets.json but the harmless ones: settings may route credentials (vault.address, adminUrl) */
function settingsItems(file: string, text: string): TrustItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [
      item({ kind: "file", file, line: 0, name: file, text: sha256(text), why: "could not be parsed as a whole" }),
    ];
  }
  // the walk and JSON.stringify recurse: 5,000 levels of nesting overflowed the stack (DS_INTERNAL, found by the fuzzer)
  if (nestedDeeperThan(data, MAX_SETTINGS_DEPTH)) {
    return [
      item({
        kind: "file",
        file,
        line: 0,
        name: file,
        text: sha256(text),
        why: `is nested deeper than ${MAX_SETTINGS_DEPTH} levels`,
      }),
    ];
  }
  const items: TrustItem[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
      return;
    }
    if (HARMLESS_SETTINGS.has(path)) return;
    items.push(
      item({
        kind: "setting",
        file,
        line: 0,
        name: path || "(top level)",
        text: JSON.stringify(value),
        why: "a project setting may send your credentials somewhere or run a program",
      }),
    );
  };
  walk(data, "");
  return items;
}

function compare(a: TrustItem, b: TrustItem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.name.localeCompare(b.name) || (a.hash < b.hash ? -1 : 1);
}

/** reads the listing of a project root now, without the cache */
export function readTrustListing(root: string): TrustListing {
  const items: TrustItem[] = [];
  for (const file of projectFilesIn(root)) {
    let text: string;
    try {
      // regular, at most 1 MiB, opened without blocking: a symlink to /dev/zero or a FIFO must not hold the daemon
      text = readProjectFileSync(join(root, file));
    } catch {
      continue; // gone between the listing and the read, or unreadable: the resolver says why
    }
    items.push(...(isSettingsFile(file) ? settingsItems(file, text) : envFileItems(file, text)));
  }
  items.sort(compare);
  const digest = sha256(JSON.stringify(items.map((i) => i.hash).sort()));
  return { root, items, digest };
}

function isSettingsFile(name: string): boolean {
  return name.toLowerCase() === PROJECT_SETTINGS_FILE;
}

/** the files of a root that trust covers, sorted */
function projectFilesIn(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.filter((name) => isSettingsFile(name) || ENV_FILE.test(name)).sort();
}

/** a root as the trust book keys it (its real path) and its listing */
export interface ListedRoot {
  real: string;
  listing: TrustListing;
}

interface CachedListing {
  /** the folder's device and inode: the same folder has the same real path, so realpath runs only when it changes */
  identity: string;
  real: string;
  /** the folder's stat: a file added, removed or renamed over changes its mtime */
  dirKey: string;
  files: string[];
  /** each covered file's stat */
  filesKey: string;
  listing: TrustListing;
}

/** listings by root, re-read only when the folder or one of the files changed: a stat each on the warm path */
export class TrustListings {
  readonly #cache = new Map<string, CachedListing>();

  get(root: string): ListedRoot {
    const dir = statSync(root);
    const identity = `${dir.dev}:${dir.ino}`;
    const dirKey = `${identity}:${dir.mtimeMs}:${dir.ctimeMs}`;
    const cached = this.#cache.get(root);
    // the path may reach another folder than last time (a symlink retargeted): then its real path is asked again
    const real = cached?.identity === identity ? cached.real : realpathSync.native(root);
    const files = cached?.dirKey === dirKey ? cached.files : projectFilesIn(root);
    const filesKey = filesStatKey(root, files);
    if (cached && cached.dirKey === dirKey && cached.filesKey === filesKey) return cached;
    const listing = { ...readTrustListing(root), root: real };
    const fresh = { identity, real, dirKey, files, filesKey, listing };
    this.#cache.set(root, fresh);
    return fresh;
  }
}

function filesStatKey(root: string, files: readonly string[]): string {
  let key = "";
  for (const file of files) {
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(join(root, file), { throwIfNoEntry: false });
    } catch (error) {
      // a symlink loop or a name too long: part of the key, so the listing is read (and skips the file)
      key += `|${file}:!${(error as NodeJS.ErrnoException).code ?? "error"}`;
      continue;
    }
    key += info ? `|${file}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}` : `|${file}:-`;
  }
  return key;
}
