// Reads the settings files a user writes: the project's devsecrets.json and $XDG_CONFIG_HOME/devsecrets/config.json.
// Rule: files hold settings, never secrets; a missing file is no settings, a malformed one is DS_CONFIG_INVALID naming it.

import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { DevsecretsError } from "../../common/errors.js";
import { parseVaultSettings, type VaultSettings } from "./vault-settings.js";

export const PROJECT_CONFIG = "devsecrets.json";

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config"), "devsecrets", "config.json");
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new DevsecretsError(
      "DS_CONFIG_INVALID",
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DevsecretsError(
      "DS_CONFIG_INVALID",
      `${path}: not valid JSON (${(error as Error).message.slice(0, 120)})`,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new DevsecretsError("DS_CONFIG_INVALID", `${path}: must hold a JSON object`);
  return data as Record<string, unknown>;
}

/** the devsecrets.json beside the nearest devsecrets.env above `cwd`, or null */
export async function findProjectConfig(cwd: string): Promise<string | null> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const isFile = await stat(join(dir, "devsecrets.env")).then(
      (s) => s.isFile(),
      () => false,
    );
    if (isFile) return join(dir, PROJECT_CONFIG);
    if (dirname(dir) === dir) return null;
  }
}

export async function readVaultSettings(path: string | null): Promise<VaultSettings> {
  if (!path) return {};
  const data = await readJson(path);
  const settings = data ? parseVaultSettings(data.vault, path) : {};
  // the daemon reads the CA file from its own folder: a relative path is the file's neighbour, made absolute here
  if (settings.caCert && !isAbsolute(settings.caCert)) settings.caCert = resolve(dirname(path), settings.caCert);
  return settings;
}
