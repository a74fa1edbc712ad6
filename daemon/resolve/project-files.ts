// Finds the project (nearest devsecrets.env walking up) and loads its files, re-reading only what changed.
// Rule: a project file is data: parsed, never executed; errors carry file:line, never a value.

import { statSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { projectFileError, readProjectFile } from "./read-project-file.js";
import { parseEnvFile, type QuoteStyle } from "../../common/env-file-parser.js";
import { isReference, parseReference } from "./reference-parser.js";
import type { Reference } from "./reference.js";

export const BASE_FILE = "devsecrets.env";
export const LOCAL_FILE = "devsecrets.local.env";

export interface Definition {
  name: string;
  /** the literal text, or the reference text */
  text: string;
  quote: QuoteStyle;
  file: string;
  line: number;
  reference: Reference | null;
  /** a malformed reference: kept so `check` can list every one */
  error: DevsecretsError | null;
}

export interface Project {
  root: string;
  /** existing files, in overlay order, relative to root */
  files: string[];
  variables: Map<string, Definition>;
}

interface CachedFile {
  key: string;
  definitions: Definition[];
}

export class ProjectFiles {
  readonly #cache = new Map<string, CachedFile>();

  // sync stats on purpose: a stat takes microseconds, while a trip through libuv's thread pool costs
  // tens of them, and the resolve route makes one per folder and file on every request
  async findRoot(cwd: string): Promise<string> {
    let dir = cwd;
    for (;;) {
      if (isFile(join(dir, BASE_FILE))) return dir;
      const parent = dirname(dir);
      if (parent === dir) {
        throw new DevsecretsError("DS_PROJECT_NOT_FOUND", `no ${BASE_FILE} in ${cwd} or any folder above it`);
      }
      dir = parent;
    }
  }

  async load(cwd: string, env: string): Promise<Project> {
    const root = await this.findRoot(cwd);
    const names = [BASE_FILE, `devsecrets.${env}.env`, LOCAL_FILE];
    const files: string[] = [];
    const variables = new Map<string, Definition>();
    for (const name of names) {
      const definitions = await this.#read(join(root, name), name);
      if (definitions === null) continue;
      files.push(name);
      // later files overlay earlier ones; within a file the last line wins, as in dotenv
      for (const definition of definitions) variables.set(definition.name, definition);
    }
    return { root, files, variables };
  }

  async #read(path: string, relative: string): Promise<Definition[] | null> {
    const info: Stats | undefined = statOrAbsent(path);
    if (!info) {
      this.#cache.delete(path);
      return null;
    }
    if (!info.isFile()) throw projectFileError(path, "is not a regular file");
    // a stat check instead of a watcher: an edited file is picked up on the next request, at the cost of one stat
    const key = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const cached = this.#cache.get(path);
    if (cached?.key === key) return cached.definitions;
    const text = await readProjectFile(path);
    const definitions = parseEnvFile(text, relative).map((entry): Definition => {
      const where = `${relative}:${entry.line}`;
      let reference: Reference | null = null;
      let error: DevsecretsError | null = null;
      if (entry.quote !== "single" && isReference(entry.value)) {
        try {
          reference = parseReference(entry.value, where);
        } catch (failure) {
          if (!(failure instanceof DevsecretsError)) throw failure;
          error = failure;
        }
      }
      return {
        name: entry.name,
        text: entry.value,
        quote: entry.quote,
        file: relative,
        line: entry.line,
        reference,
        error,
      };
    });
    this.#cache.set(path, { key, definitions });
    return definitions;
  }
}

function isFile(path: string): boolean {
  return statOrAbsent(path)?.isFile() ?? false;
}

/** a stat, undefined when nothing is there; any other failure (ENAMETOOLONG, ELOOP, EACCES) is DS_PROJECT_FILE */
function statOrAbsent(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    // a path through a regular file has no project file in it, as a missing folder has none
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw projectFileError(path, error);
  }
}
