// The Vault settings a user writes: the hand validator of config/*.schema.json's `vault` part, and which source wins.
// Rule: errors name the file and the key, never a value.

import test from "ava";
import {
  checkAddress,
  mergeVaultSettings,
  parseVaultSettings,
  vaultSettingsFromEnv,
} from "../../../cli/config/vault-settings.js";

test("a valid vault object is kept; a trailing slash on the address is dropped", (t) => {
  t.deepEqual(
    parseVaultSettings(
      {
        address: "https://vault.example.com:8200/",
        namespace: "team",
        auth: { method: "approle", mount: "approle-dev/" },
      },
      "devsecrets.json",
    ),
    {
      address: "https://vault.example.com:8200",
      namespace: "team",
      auth: { method: "approle", mount: "approle-dev" },
    },
  );
});

test("unknown keys, bad methods and addresses with credentials or paths are DS_CONFIG_INVALID naming the file", (t) => {
  for (const bad of [
    { adress: "x" },
    { auth: { method: "ldap" } },
    { address: "https://u:p@vault:8200" },
    { address: "ftp://vault" },
    { address: "https://vault/v1/secret" },
    "x",
  ]) {
    const error = t.throws(() => parseVaultSettings(bad, "devsecrets.json"));
    t.is((error as { code?: string }).code, "DS_CONFIG_INVALID");
    t.true(error?.message.startsWith("devsecrets.json:"));
    t.false(error?.message.includes("u:p"));
  }
  t.throws(() => checkAddress("not a url", "--vault"));
});

test("later sources win key by key: project < user config < environment < flags", (t) => {
  const user = { address: "http://user:1", auth: { method: "userpass" as const, mount: "up" } };
  const project = { address: "http://project:1", namespace: "p" };
  const env = vaultSettingsFromEnv({ BAO_ADDR: "http://env:1" });
  t.deepEqual(mergeVaultSettings(project, user, env, { auth: { method: "token" } }), {
    address: "http://env:1",
    namespace: "p",
    auth: { method: "token", mount: "up" },
  });
  t.is(vaultSettingsFromEnv({ VAULT_ADDR: "http://a:1", BAO_ADDR: "http://b:1" }).address, "http://a:1");
});
