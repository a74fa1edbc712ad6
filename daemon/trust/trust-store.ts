// trust.json: the projects the user trusted, keyed by the root's real path, with the item hashes trusted for each.
// Rule: only the daemon writes it, 0600 in the private state folder, through a temp file and a rename; no value in it
// (hashes, paths and the project id only).

import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensurePrivateDir } from "../../common/private-dir.js";

export interface TrustRecord {
  /** the listing's digest when the user trusted it */
  digest: string;
  /** the hashes of the items trusted: a project stays trusted while its items are among them */
  items: string[];
  trustedAt: string;
  projectId: string;
}

interface TrustFile {
  version: 1;
  projects: Record<string, TrustRecord>;
}

export class TrustStore {
  #projects: Map<string, TrustRecord> | null = null;

  constructor(readonly path: string) {}

  get(root: string): TrustRecord | undefined {
    return this.#load().get(root);
  }

  entries(): [string, TrustRecord][] {
    return [...this.#load().entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  set(root: string, record: TrustRecord): void {
    const projects = new Map(this.#load());
    projects.set(root, record);
    this.#write(projects);
  }

  /** true when the root was trusted */
  delete(root: string): boolean {
    const projects = new Map(this.#load());
    if (!projects.delete(root)) return false;
    this.#write(projects);
    return true;
  }

  /** read once: only the daemon writes the file, so what it holds in memory is the file (no stat per resolve) */
  #load(): Map<string, TrustRecord> {
    if (this.#projects) return this.#projects;
    const info = statSync(this.path, { throwIfNoEntry: false });
    this.#projects = info ? parse(readFileSync(this.path, "utf8")) : new Map();
    return this.#projects;
  }

  #write(projects: Map<string, TrustRecord>): void {
    ensurePrivateDir(dirname(this.path), "the state folder");
    const file: TrustFile = { version: 1, projects: Object.fromEntries(projects) };
    const temp = join(dirname(this.path), `.trust.json.${randomBytes(6).toString("hex")}`);
    try {
      writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      renameSync(temp, this.path);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {}
      throw error;
    }
    this.#projects = projects;
  }
}

/** a damaged file trusts nothing (the user trusts again), rather than stopping every resolve */
function parse(text: string): Map<string, TrustRecord> {
  const projects = new Map<string, TrustRecord>();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return projects;
  }
  const entries = (data as Partial<TrustFile> | null)?.projects;
  if (typeof entries !== "object" || entries === null) return projects;
  for (const [root, record] of Object.entries(entries)) {
    if (
      typeof record?.digest === "string" &&
      Array.isArray(record.items) &&
      record.items.every((h: unknown) => typeof h === "string")
    ) {
      projects.set(root, {
        digest: record.digest,
        items: record.items,
        trustedAt: String(record.trustedAt ?? ""),
        projectId: String(record.projectId ?? ""),
      });
    }
  }
  return projects;
}
