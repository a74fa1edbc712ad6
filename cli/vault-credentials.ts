// What `devsecrets login` sends the daemon about Vault/OpenBao: settings from files, env and flags, and the credentials.
// Rule: credentials come from the environment, ~/.vault-token, piped stdin or a no-echo prompt, never from argv.

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { DevsecretsError } from "../common/errors.js";
import { findProjectConfig, readVaultSettings, userConfigPath } from "./config/config-files.js";
import {
  checkAddress,
  mergeVaultSettings,
  vaultSettingsFromEnv,
  VAULT_AUTH_METHODS,
  type VaultAuthMethod,
} from "./config/vault-settings.js";
import { readPassphrase } from "./prompt/passphrase-input.js";
import type { VaultLogin } from "../daemon/protocol/messages.js";

export interface VaultFlags {
  vault?: string;
  vaultAuth?: string;
  vaultUser?: string;
}

/** the `vault` part of a login request, or undefined when no Vault address is configured anywhere */
export async function vaultLoginFor(
  flags: VaultFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<VaultLogin | undefined> {
  if (flags.vaultAuth !== undefined && !VAULT_AUTH_METHODS.includes(flags.vaultAuth as VaultAuthMethod)) {
    throw new DevsecretsError("DS_USAGE", `--vault-auth must be one of ${VAULT_AUTH_METHODS.join(", ")}`);
  }
  const settings = mergeVaultSettings(
    await readVaultSettings(userConfigPath(env)),
    await readVaultSettings(await findProjectConfig(cwd)),
    vaultSettingsFromEnv(env),
    {
      ...(flags.vault ? { address: checkAddress(flags.vault, "--vault") } : {}),
      ...(flags.vaultAuth ? { auth: { method: flags.vaultAuth as VaultAuthMethod } } : {}),
    },
  );
  if (!settings.address) {
    if (flags.vaultAuth)
      throw new DevsecretsError("DS_USAGE", "--vault-auth needs a Vault address", {
        hint: "pass --vault ADDR, set VAULT_ADDR, or add vault.address to devsecrets.json",
      });
    return undefined;
  }
  const method = settings.auth?.method ?? "token";
  const login: VaultLogin = {
    address: settings.address,
    auth: method,
    ...(settings.namespace ? { namespace: settings.namespace } : {}),
    ...(settings.caCert ? { caCert: settings.caCert } : {}),
    ...(settings.auth?.mount ? { mount: settings.auth.mount } : {}),
  };
  if (method === "token") login.token = await readToken(env, settings.address);
  else if (method === "approle") {
    login.roleId = env.VAULT_ROLE_ID || (await prompt(`approle role_id for ${settings.address} (not shown): `));
    login.secretId = env.VAULT_SECRET_ID || (await prompt(`approle secret_id for ${settings.address} (not shown): `));
  } else {
    const username = flags.vaultUser || env.VAULT_USERNAME;
    if (!username)
      throw new DevsecretsError("DS_USAGE", "userpass login needs a user name", {
        hint: "pass --vault-user NAME (or DEVSECRETS_VAULT_USER)",
      });
    login.username = username;
    login.password =
      (await readPiped()) ?? (await prompt(`Vault password for ${username} at ${settings.address} (not shown): `));
  }
  return login;
}

/** DESIGN's order: VAULT_TOKEN, BAO_TOKEN, ~/.vault-token, stdin when piped, a no-echo prompt */
async function readToken(env: NodeJS.ProcessEnv, address: string): Promise<string> {
  if (env.VAULT_TOKEN) return env.VAULT_TOKEN;
  if (env.BAO_TOKEN) return env.BAO_TOKEN;
  try {
    const fromFile = (await readFile(join(env.HOME || homedir(), ".vault-token"), "utf8")).trim();
    if (fromFile) return fromFile;
  } catch {
    // no token file: ask
  }
  return (await readPiped()) ?? (await prompt(`Vault token for ${address} (not shown): `));
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
