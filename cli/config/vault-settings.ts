// Vault settings as a user writes them (devsecrets.json, the user config) and how the sources stack up.
// Rule: validated by hand against config/*.schema.json's `vault` part; errors name the file and the key, never a value.

import { resolve } from "node:path";
import { DevsecretsError } from "../../common/errors.js";

export const VAULT_AUTH_METHODS = ["token", "approle", "userpass"] as const;
export type VaultAuthMethod = (typeof VAULT_AUTH_METHODS)[number];

export interface VaultSettings {
  address?: string;
  namespace?: string;
  caCert?: string;
  auth?: { method?: VaultAuthMethod; mount?: string };
}

const MOUNT = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,127}$/;

function invalid(where: string, what: string): never {
  throw new DevsecretsError("DS_CONFIG_INVALID", `${where}: ${what}`);
}

function optionalText(value: unknown, where: string, key: string, max = 2048): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "" || value.length > max)
    invalid(where, `"${key}" must be a non-empty string`);
  return value;
}

/** an http(s) URL without credentials, path or query */
export function checkAddress(address: string, where: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return invalid(where, `the Vault address is not a URL (want http(s)://host:port)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    invalid(where, `the Vault address must be http:// or https://`);
  if (url.username || url.password) invalid(where, `the Vault address must not hold credentials`);
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash)
    invalid(where, `the Vault address takes no path or query`);
  return `${url.protocol}//${url.host}`;
}

/** the `vault` object of a config file; `where` is the file name */
export function parseVaultSettings(value: unknown, where: string): VaultSettings {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid(where, `"vault" must be an object`);
  const body = value as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!["address", "namespace", "caCert", "auth"].includes(key))
      invalid(where, `unknown key "vault.${key.slice(0, 40)}"`);
  }
  const settings: VaultSettings = {};
  const address = optionalText(body.address, where, "vault.address");
  if (address !== undefined) settings.address = checkAddress(address, where);
  const namespace = optionalText(body.namespace, where, "vault.namespace", 256);
  if (namespace !== undefined) settings.namespace = namespace;
  const caCert = optionalText(body.caCert, where, "vault.caCert");
  if (caCert !== undefined) settings.caCert = caCert;
  if (body.auth !== undefined) {
    if (typeof body.auth !== "object" || body.auth === null || Array.isArray(body.auth))
      invalid(where, `"vault.auth" must be an object`);
    const auth = body.auth as Record<string, unknown>;
    for (const key of Object.keys(auth))
      if (key !== "method" && key !== "mount") invalid(where, `unknown key "vault.auth.${key.slice(0, 40)}"`);
    settings.auth = {};
    if (auth.method !== undefined) {
      if (!VAULT_AUTH_METHODS.includes(auth.method as VaultAuthMethod))
        invalid(where, `"vault.auth.method" must be one of ${VAULT_AUTH_METHODS.join(", ")}`);
      settings.auth.method = auth.method as VaultAuthMethod;
    }
    const mount = optionalText(auth.mount, where, "vault.auth.mount", 128);
    if (mount !== undefined) {
      if (!MOUNT.test(mount)) invalid(where, `"vault.auth.mount" must be a mount path like "approle" or "auth-dev"`);
      settings.auth.mount = mount.replace(/\/+$/, "");
    }
  }
  return settings;
}

/** later sources win, key by key: [trusted project, user config, environment, flags] (cli/vault-credentials.ts) */
export function mergeVaultSettings(...sources: VaultSettings[]): VaultSettings {
  const merged: VaultSettings = {};
  for (const source of sources) {
    if (source.address !== undefined) merged.address = source.address;
    if (source.namespace !== undefined) merged.namespace = source.namespace;
    if (source.caCert !== undefined) merged.caCert = source.caCert;
    if (source.auth?.method !== undefined) merged.auth = { ...merged.auth, method: source.auth.method };
    if (source.auth?.mount !== undefined) merged.auth = { ...merged.auth, mount: source.auth.mount };
  }
  return merged;
}

/** VAULT_ADDR (or BAO_ADDR), VAULT_NAMESPACE, VAULT_CACERT */
export function vaultSettingsFromEnv(env: NodeJS.ProcessEnv): VaultSettings {
  const settings: VaultSettings = {};
  const address = env.VAULT_ADDR || env.BAO_ADDR;
  if (address) settings.address = checkAddress(address, env.VAULT_ADDR ? "VAULT_ADDR" : "BAO_ADDR");
  if (env.VAULT_NAMESPACE || env.BAO_NAMESPACE)
    settings.namespace = (env.VAULT_NAMESPACE || env.BAO_NAMESPACE) as string;
  // relative to where the command runs, made absolute: the daemon reads it from its own folder
  if (env.VAULT_CACERT || env.BAO_CACERT) settings.caCert = resolve((env.VAULT_CACERT || env.BAO_CACERT) as string);
  return settings;
}
