// Attack: a cloned repository names vault:// paths of the user's Vault (issue 16, project trust). Until the user trusts
// it, the project gets sandbox stand-ins and a notice saying why; the real value arrives only once trusted.
// Rule: a real OpenBao and a real daemon, the user logged in with their own token (VAULT_ADDR, VAULT_TOKEN).

import test from "ava";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { startVaultWorld, type VaultWorld } from "../helpers/vault-world.js";

let vw: VaultWorld;
let world: World;

test.before(async () => {
  vw = await startVaultWorld();
  world = makeWorld({ trustAll: false });
});

test.after.always(async () => {
  if (world) await disposeWorld(world);
  await vw?.stop();
});

test("an untrusted project's vault:// gets a stand-in with a notice, not the user's value; trusted, the value", async (t) => {
  const real = "value-from-the-users-vault-5d1e";
  await vw.bao.api("POST", "secret/data/untrusted", { data: { k: real } });
  const project = world.project({ "devsecrets.env": "K=vault://secret/untrusted#k\n" });
  const env = { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: vw.userToken };
  const login = await cli(world, ["login", "--store", "memory"], { cwd: project, env });
  t.is(login.code, 0, login.stderr);
  const before = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(before.code, 0, before.stderr);
  const value = JSON.parse(before.stdout).K as string;
  t.not(value, real, "the user's Vault value reached an untrusted project");
  t.true(value.length > 0);
  t.regex(before.stderr, /this project is not trusted: its vault:\/\/ references are answered by sandbox values/);
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const after = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(JSON.parse(after.stdout).K, real, after.stderr);
  t.notRegex(after.stderr, /not trusted/);
});
