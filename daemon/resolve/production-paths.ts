// Production paths the user declares in the user config (`production: ["vault://secret/prod/**"]`): a reference that
// matches one is production whatever the project file says, so a dev session answers it with a sandbox value.
// Rule: matched on scheme and path only (never the query a project writes); `*` stays within a segment, `**` crosses.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { configDir } from "../../common/paths.js";

export interface ProductionPattern {
  /** as the user wrote it, for the notice */
  text: string;
  scheme: string;
  regex: RegExp;
}

/** one pattern, `scheme://glob`; DS_CONFIG_INVALID naming `where` when it is not one */
export function parseProductionPattern(text: unknown, where: string): ProductionPattern {
  const match = typeof text === "string" ? /^([a-z][a-z0-9+.-]*):\/\/([^?#]+)$/.exec(text) : null;
  if (!match) {
    throw new DevsecretsError(
      "DS_CONFIG_INVALID",
      `${where}: each "production" entry must be scheme://path with * and ** (no query), like "vault://secret/prod/**"`,
    );
  }
  const glob = (match[2] as string).replace(/^\/+/, "");
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return { text: text as string, scheme: match[1] as string, regex: new RegExp(`^${source}$`) };
}

/** the first pattern a reference's scheme and path match, or null */
export function matchProduction(
  patterns: readonly ProductionPattern[],
  ref: { scheme: string; path: string },
): ProductionPattern | null {
  const paths = namesOf(ref);
  return (
    patterns.find((pattern) => pattern.scheme === ref.scheme && paths.some((path) => pattern.regex.test(path))) ?? null
  );
}

/** Secrets Manager's ARN of a secret: its name follows `:secret:`, then (in a full ARN) `-` and 6 random characters */
const SECRETS_MANAGER_ARN = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)$/;

/**
 * every path that names the same thing: a project may name a Secrets Manager secret by its full or partial ARN, which
 * reaches the same secret as its name, so `aws-sm://prod/**` must hold for `arn:…:secret:prod/db-AbC123` too
 */
function namesOf(ref: { scheme: string; path: string }): string[] {
  const path = ref.path.replace(/^\/+/, "");
  const arn = ref.scheme === "aws-sm" ? SECRETS_MANAGER_ARN.exec(path) : null;
  if (!arn) return [path];
  const name = arn[1] as string;
  return [path, name, name.replace(/-[A-Za-z0-9]{6}$/, "")];
}

/** the `production` list of a parsed user config; `where` is its path */
export function parseProductionList(value: unknown, where: string): ProductionPattern[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 256)
    throw new DevsecretsError("DS_CONFIG_INVALID", `${where}: "production" must be a list of at most 256 patterns`);
  return value.map((entry) => parseProductionPattern(entry, where));
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The user config's production patterns, read again only when the file changes (size and mtime): the user may add
 * one while the daemon runs. A missing file is none; a malformed one is DS_CONFIG_INVALID at the resolve that needs it.
 */
export class UserProductionPaths {
  #seen = "";
  #patterns: ProductionPattern[] = [];
  readonly #path: string;

  constructor(env: Env) {
    this.#path = join(configDir(env), "config.json");
  }

  patterns(): ProductionPattern[] {
    let stamp: string;
    try {
      const stats = statSync(this.#path);
      stamp = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
    } catch {
      this.#seen = "";
      this.#patterns = [];
      return [];
    }
    if (stamp === this.#seen) return this.#patterns;
    let parsed: unknown;
    try {
      const stats = statSync(this.#path);
      if (!stats.isFile() || stats.size > 1024 * 1024) throw new Error("not a regular file of at most 1 MiB");
      parsed = JSON.parse(readFileSync(this.#path, "utf8"));
    } catch {
      throw new DevsecretsError("DS_CONFIG_INVALID", `${this.#path}: not a JSON file of at most 1 MiB`);
    }
    const list = (parsed as { production?: unknown } | null)?.production;
    this.#patterns = parseProductionList(list, this.#path);
    this.#seen = stamp;
    return this.#patterns;
  }
}
