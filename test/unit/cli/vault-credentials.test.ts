// Where a Vault login's address and credentials come from (DESIGN "Where credentials may go"): --vault, then
// VAULT_ADDR/BAO_ADDR, then the user config, then a trusted project; the user's own token (environment, ~/.vault-token)
// only to an address of the first three. Rule: real files in a temp folder; no Vault is dialled (the login is built).

import test from "ava";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vaultLoginFor, type VaultLoginDeps } from "../../../cli/vault-credentials.js";

interface Fixture {
  env: NodeJS.ProcessEnv;
  project: string;
  asked: string[];
  said: string[];
  deps(trusted: boolean): VaultLoginDeps;
}

function fixture(t: { teardown(fn: () => void): void }, files: { user?: object; project?: object }): Fixture {
  const root = mkdtempSync(join(tmpdir(), "ds-vault-login-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, "home");
  const config = join(root, "config");
  const project = join(root, "project");
  for (const dir of [home, join(config, "devsecrets"), project]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(home, ".vault-token"), "token-from-the-file\n");
  writeFileSync(join(project, "devsecrets.env"), "A=vault://secret/app#a\n");
  if (files.user) writeFileSync(join(config, "devsecrets", "config.json"), JSON.stringify(files.user));
  if (files.project) writeFileSync(join(project, "devsecrets.json"), JSON.stringify(files.project));
  const asked: string[] = [];
  const said: string[] = [];
  return {
    env: { HOME: home, XDG_CONFIG_HOME: config, VAULT_TOKEN: "token-from-the-environment" },
    project,
    asked,
    said,
    deps: (trusted) => ({
      projectTrusted: async () => trusted,
      askSecret: async (prompt) => {
        asked.push(prompt);
        return "typed-for-this-address";
      },
      notify: (line) => said.push(line),
    }),
  };
}

const PROJECT_VAULT = { vault: { address: "http://127.0.0.1:18200", caCert: "/project/ca.pem", namespace: "theirs" } };

test("an untrusted project's address is not used: no Vault, no token read, and the user is told why", async (t) => {
  const f = fixture(t, { project: PROJECT_VAULT });
  t.is(await vaultLoginFor({}, f.env, f.project, f.deps(false)), undefined);
  t.deepEqual(f.asked, []);
  t.is(f.said.length, 1);
  t.regex(
    f.said[0] as string,
    /devsecrets\.json names the Vault address http:\/\/127\.0\.0\.1:18200; it is not used \(the project is not trusted/,
  );
});

test("a trusted project's address gets only a token typed for it, never VAULT_TOKEN or ~/.vault-token", async (t) => {
  const f = fixture(t, { project: PROJECT_VAULT });
  const login = await vaultLoginFor({}, f.env, f.project, f.deps(true));
  t.is(login?.address, "http://127.0.0.1:18200");
  t.is(login?.token, "typed-for-this-address");
  t.is(login?.caCert, "/project/ca.pem");
  t.is(f.asked.length, 1);
  t.regex(f.asked[0] as string, /^Vault token for http:\/\/127\.0\.0\.1:18200 \(named by .*devsecrets\.json\)/);
  // approle's role and secret from the environment stay the user's too
  const approle = fixture(t, {
    project: { vault: { address: "http://127.0.0.1:18200", auth: { method: "approle" } } },
  });
  approle.env.VAULT_ROLE_ID = "role-from-env";
  approle.env.VAULT_SECRET_ID = "secret-from-env";
  const viaRole = await vaultLoginFor({}, approle.env, approle.project, approle.deps(true));
  t.is(viaRole?.roleId, "typed-for-this-address");
  t.is(viaRole?.secretId, "typed-for-this-address");
});

test("precedence: --vault, then VAULT_ADDR/BAO_ADDR, then the user config, then a trusted project", async (t) => {
  const f = fixture(t, { user: { vault: { address: "https://user.vault.test:8200" } }, project: PROJECT_VAULT });
  const fromUser = await vaultLoginFor({}, f.env, f.project, f.deps(true));
  t.is(fromUser?.address, "https://user.vault.test:8200");
  // the user's own token goes to the user's address; the project's caCert and namespace stay with the project's
  t.is(fromUser?.token, "token-from-the-environment");
  t.is(fromUser?.caCert, undefined);
  t.is(fromUser?.namespace, undefined);
  t.regex(f.said.at(-1) as string, /it is not used \(the address from user config wins\)/);
  const fromEnv = await vaultLoginFor(
    {},
    { ...f.env, BAO_ADDR: "https://env.vault.test:8200" },
    f.project,
    f.deps(true),
  );
  t.is(fromEnv?.address, "https://env.vault.test:8200");
  const fromFlag = await vaultLoginFor(
    { vault: "https://flag.vault.test:8200" },
    { ...f.env, VAULT_ADDR: "https://env.vault.test:8200" },
    f.project,
    f.deps(true),
  );
  t.is(fromFlag?.address, "https://flag.vault.test:8200");
  t.deepEqual(f.asked, []);
  // ~/.vault-token when the environment holds none
  const { VAULT_TOKEN: _, ...noEnvToken } = f.env;
  t.is((await vaultLoginFor({}, noEnvToken, f.project, f.deps(true)))?.token, "token-from-the-file");
});

test("plain http off loopback is DS_VAULT_INSECURE before any credential is read, from any origin", async (t) => {
  const f = fixture(t, {
    user: { vault: { address: "http://vault.example.com:8200" } },
    project: { vault: { address: "http://vault.example.com:8201" } },
  });
  for (const [flags, env] of [
    [{ vault: "http://vault.example.com:8200" }, f.env],
    [{}, { ...f.env, VAULT_ADDR: "http://vault.example.com:8200" }],
    [{}, f.env],
  ] as const) {
    const error = await t.throwsAsync(vaultLoginFor(flags, env, f.project, f.deps(true)));
    t.is((error as { code?: string }).code, "DS_VAULT_INSECURE");
  }
  const projectOnly = fixture(t, { project: { vault: { address: "http://vault.example.com:8201" } } });
  const error = await t.throwsAsync(vaultLoginFor({}, projectOnly.env, projectOnly.project, projectOnly.deps(true)));
  t.regex(error?.message ?? "", /http:\/\/vault\.example\.com:8201 \(from project\)/);
  t.deepEqual([...f.asked, ...projectOnly.asked], []);
});
