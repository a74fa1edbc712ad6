// Where a sandbox service's program is found: DEVSECRETS_<SERVICE>_BIN, the user config's services.<service>.binary,
// PATH, then (PostgreSQL) the newest /usr/lib/postgresql/*/bin.
// Rule: a program that is not found is DS_SANDBOX_SERVICE_MISSING naming what to install, never a spawn ENOENT.

import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { configDir } from "../../../common/paths.js";
import { readProjectFileSync } from "../../resolve/read-project-file.js";

export interface ServiceProgram {
  /** the service's name in settings: "redis" reads DEVSECRETS_REDIS_BIN and services.redis.binary */
  service: string;
  /** the executable's file name on PATH ("redis-server") */
  program: string;
  /** what to install, for the error's hint */
  install: string;
  /** also look in the newest /usr/lib/postgresql/<version>/bin */
  postgresLib?: boolean;
  /** also look in $HOME/go/bin (where `go install` puts stripe-mock) */
  goBin?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** services.<service>.binary from $XDG_CONFIG_HOME/devsecrets/config.json, or null (a broken file names nothing) */
function fromUserConfig(env: Env, service: string): string | null {
  try {
    const parsed = JSON.parse(readProjectFileSync(join(configDir(env), "config.json"))) as unknown;
    const binary = (parsed as { services?: Record<string, { binary?: unknown }> })?.services?.[service]?.binary;
    return typeof binary === "string" && binary !== "" ? binary : null;
  } catch {
    return null;
  }
}

/** /usr/lib/postgresql/<version>/bin of the highest version, newest first */
export function postgresLibDirs(root = "/usr/lib/postgresql"): string[] {
  let versions: string[];
  try {
    versions = readdirSync(root).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    return [];
  }
  return versions
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((version) => join(root, version, "bin"));
}

/** the absolute path of the service's program; `name` is a sibling program in the same folder (pg_ctl beside initdb) */
export function findServiceBinary(wanted: ServiceProgram, env: Env, name: string = wanted.program): string {
  const variable = `DEVSECRETS_${wanted.service.toUpperCase()}_BIN`;
  const fromEnv = env[variable] || null;
  const configured = fromEnv ?? fromUserConfig(env, wanted.service);
  if (configured) {
    // a configured program names the main one; its siblings (pg_ctl) live beside it
    const path = name === wanted.program ? configured : join(configured, "..", name);
    if (executable(path)) return path;
    throw missing(
      wanted,
      `${fromEnv ? variable : `services.${wanted.service}.binary`} names ${path}, which is not an executable file`,
    );
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter(Boolean);
  if (wanted.postgresLib) dirs.push(...postgresLibDirs());
  if (wanted.goBin && env.HOME) dirs.push(join(env.HOME, "go", "bin"));
  for (const dir of dirs) {
    const path = join(dir, name);
    if (executable(path)) return path;
  }
  throw missing(wanted, `${name} is not on PATH${wanted.postgresLib ? " nor in /usr/lib/postgresql/*/bin" : ""}`);
}

function missing(wanted: ServiceProgram, why: string): DevsecretsError {
  return new DevsecretsError(
    "DS_SANDBOX_SERVICE_MISSING",
    `the sandbox ${wanted.service} service cannot start: ${why}`,
    {
      hint: `install it (${wanted.install}), or point DEVSECRETS_${wanted.service.toUpperCase()}_BIN or services.${wanted.service}.binary in ~/.config/devsecrets/config.json at it`,
    },
  );
}
