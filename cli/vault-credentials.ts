// What `devsecrets login` sends the daemon about Vault/OpenBao: settings from files, env and flags, and the credentials.
// Rule: credentials come from the environment, ~/.vault-token, piped stdin or a no-echo prompt, never from argv; the
// user's own (environment, ~/.vault-token) go only to an address of the user's (flag, environment, user config).

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { DevsecretsError } from "../common/errors.js";
import { PROJECT_CONFIG, findProjectConfig, readVaultSettings, userConfigPath } from "./config/config-files.js";
import { refuseInsecureVault } from "../common/vault-address.js";
import {
  checkAddress,
  mergeVaultSettings,
  vaultSettingsFromEnv,
  VAULT_AUTH_METHODS,
  type VaultAuthMethod,
  type VaultSettings,
} from "./config/vault-settings.js";
import { readPassphrase } from "./prompt/passphrase-input.js";
import type { VaultLogin } from "../daemon/protocol/messages.js";

export interface VaultFlags {
  vault?: string;
  vaultAuth?: string;
  vaultUser?: string;
}

/** where the chosen Vault address came from, in DESIGN's order of precedence */
export type VaultOrigin = "--vault" | "environment" | "user config" | "project";

export interface VaultLoginDeps {
  /**
   * whether the project whose devsecrets.json is at `path` is trusted (`devsecrets trust`: login asks the daemon's
   * trust book); default: not trusted
   */
  projectTrusted?: (path: string) => Promise<boolean>;
  /** a credential typed (or piped) for the chosen address; default: stdin's first line when piped, else a prompt */
  askSecret?: (prompt: string) => Promise<string>;
  /** said on stderr (a project address left unused) */
  notify?: (line: string) => void;
}

export interface VaultChoice {
  settings: VaultSettings;
  origin: VaultOrigin | null;
  /** a project address that was not used, and why */
  unused?: string;
}

/**
 * The Vault settings a login uses (DESIGN "Where credentials may go"): the address from --vault, else VAULT_ADDR or
 * BAO_ADDR, else the user config, else a trusted project. A project's settings count only when its address is the one
 * used (its caCert or namespace never apply to the user's own Vault); the user's environment and flags always do.
 */
export function chooseVaultSettings(
  flags: VaultSettings,
  env: VaultSettings,
  user: VaultSettings,
  project: VaultSettings,
  projectTrusted: boolean,
  projectPath: string | null,
): VaultChoice {
  const origin: VaultOrigin | null = flags.address
    ? "--vault"
    : env.address
      ? "environment"
      : user.address
        ? "user config"
        : project.address && projectTrusted
          ? "project"
          : null;
  const settings = mergeVaultSettings(origin === "project" ? project : {}, user, env, flags);
  const unused =
    project.address && origin !== "project"
      ? `${projectPath ?? PROJECT_CONFIG} names the Vault address ${project.address}; it is not used (${
          projectTrusted
            ? `the address from ${origin} wins`
            : "the project is not trusted: `devsecrets trust` allows it"
        })`
      : undefined;
  return { settings, origin, ...(unused ? { unused } : {}) };
}

/** the `vault` part of a login request, or undefined when no Vault address is configured anywhere */
export async function vaultLoginFor(
  flags: VaultFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  deps: VaultLoginDeps = {},
): Promise<VaultLogin | undefined> {
  if (flags.vaultAuth !== undefined && !VAULT_AUTH_METHODS.includes(flags.vaultAuth as VaultAuthMethod)) {
    throw new DevsecretsError("DS_USAGE", `--vault-auth must be one of ${VAULT_AUTH_METHODS.join(", ")}`);
  }
  const projectPath = await findProjectConfig(cwd);
  const project = await readVaultSettings(projectPath);
  const trusted =
    project.address && projectPath ? await (deps.projectTrusted ?? (async () => false))(projectPath) : false;
  const choice = chooseVaultSettings(
    {
      ...(flags.vault ? { address: checkAddress(flags.vault, "--vault") } : {}),
      ...(flags.vaultAuth ? { auth: { method: flags.vaultAuth as VaultAuthMethod } } : {}),
    },
    vaultSettingsFromEnv(env),
    await readVaultSettings(userConfigPath(env)),
    project,
    trusted,
    projectPath,
  );
  if (choice.unused) (deps.notify ?? (() => {}))(choice.unused);
  const { settings, origin } = choice;
  if (!settings.address || !origin) {
    if (flags.vaultAuth)
      throw new DevsecretsError("DS_USAGE", "--vault-auth needs a Vault address", {
        hint: "pass --vault ADDR, set VAULT_ADDR, or add vault.address to ~/.config/devsecrets/config.json",
      });
    return undefined;
  }
  // before any credential is read, and before any socket: no credential over plain http off loopback
  refuseInsecureVault(settings.address, `from ${origin}`);
  const ask = deps.askSecret ?? askSecret;
  // a credential of the user's own environment or files goes only to an address of the same origin (the first three)
  const ownCredentials = origin !== "project";
  const method = settings.auth?.method ?? "token";
  const login: VaultLogin = {
    address: settings.address,
    auth: method,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    ...(settings.caCert ? { caCert: settings.caCert } : {}),
    ...(settings.auth?.mount ? { mount: settings.auth.mount } : {}),
  };
  const named = origin === "project" ? ` (named by ${projectPath})` : "";
  if (method === "token") {
    login.token =
      (ownCredentials ? await ownToken(env) : null) ??
      (await ask(`Vault token for ${settings.address}${named} (not shown): `));
  } else if (method === "approle") {
    login.roleId =
      (ownCredentials && env.VAULT_ROLE_ID) ||
      (await ask(`approle role_id for ${settings.address}${named} (not shown): `));
    login.secretId =
      (ownCredentials && env.VAULT_SECRET_ID) ||
      (await ask(`approle secret_id for ${settings.address}${named} (not shown): `));
  } else {
    const username = flags.vaultUser || env.VAULT_USERNAME;
    if (!username)
      throw new DevsecretsError("DS_USAGE", "userpass login needs a user name", {
        hint: "pass --vault-user NAME (or DEVSECRETS_VAULT_USER)",
      });
    login.username = username;
    login.password = await ask(`Vault password for ${username} at ${settings.address}${named} (not shown): `);
  }
  return login;
}

/** the user's own token, DESIGN's order: VAULT_TOKEN, BAO_TOKEN, ~/.vault-token; null when none is there */
async function ownToken(env: NodeJS.ProcessEnv): Promise<string | null> {
  if (env.VAULT_TOKEN) return env.VAULT_TOKEN;
  if (env.BAO_TOKEN) return env.BAO_TOKEN;
  try {
    const fromFile = (await readFile(join(env.HOME || homedir(), ".vault-token"), "utf8")).trim();
    if (fromFile) return fromFile;
  } catch {
    // no token file: ask
  }
  return null;
}

/** stdin's first line when piped, else a no-echo prompt */
async function askSecret(text: string): Promise<string> {
  return (await readPiped()) ?? (await prompt(text));
}

/** stdin's first line when it is a pipe or a file (not a terminal) and holds something; null otherwise */
async function readPiped(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  const text = all.toString("utf8").split(/\r?\n/)[0] ?? "";
  all.fill(0);
  return text === "" ? null : text;
}

async function prompt(text: string): Promise<string> {
  // an empty env: DEVSECRETS_PASSPHRASE_FD is the file store's, never a Vault credential's
  return (await readPassphrase({ env: {}, prompt: text })).reveal();
}
