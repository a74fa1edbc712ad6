// Vault going away mid-session, and a daemon killed with leases out: the real OpenBao, PostgreSQL and gnome-keyring.
// Rule: an unreachable Vault is a clear error within the bound while other references keep being served; a crash is wiped at the next start.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { withSessionWorld } from "../helpers/session-world.js";
import { envApp, startVaultWorld } from "../helpers/vault-world.js";

test("Vault stopped mid-session: DS_VAULT_UNREACHABLE naming the address within the bound; sandbox:// still served; --offline answers", async (t) => {
  const vw = await startVaultWorld();
  const world = makeWorld();
  try {
    await vw.bao.api("POST", "secret/data/app", { data: { k: "live" } });
    const project = world.project({ "devsecrets.env": "K=vault://secret/app#k\nS=sandbox://stripe/secret-key\n" });
    const env = { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: vw.userToken };
    t.is((await cli(world, ["login", "--store", "memory"], { cwd: project, env })).code, 0);
    // the mount answer is cached; the value is not yet
    await vw.bao.stop();
    const started = Date.now();
    const r = await cli(world, ["get", "K"], { cwd: project });
    const took = Date.now() - started;
    t.is(r.code, 1);
    t.regex(r.stderr, /DS_VAULT_UNREACHABLE/);
    t.true(r.stderr.includes(vw.bao.address), r.stderr);
    t.regex(r.stderr, /--offline/);
    t.true(took < 7_000, `answered in ${took} ms`);

    const sandbox = await cli(world, ["get", "S"], { cwd: project });
    t.is(sandbox.code, 0, sandbox.stderr);
    t.regex(sandbox.stdout, /^sk_test_/);

    t.is((await cli(world, ["login", "--store", "memory", "--offline"], { cwd: project, env })).code, 0);
    const out = join(world.root, "out.json");
    const offline = await cli(world, ["run", "--", ...envApp(out, ["K", "S"])], { cwd: project });
    t.is(offline.code, 0, offline.stderr);
    const seen = JSON.parse(readFileSync(out, "utf8")) as { K: string; S: string };
    t.not(seen.K, "live");
    t.regex(seen.S, /^sk_test_/);
  } finally {
    await world.cleanup();
    await vw.stop();
  }
});

test("SIGKILL with a lease out: the next start revokes it; logout then revokes the resumed session's token, not the user's", async (t) => {
  const vw = await startVaultWorld({ postgres: true });
  try {
    await withSessionWorld(t, {}, async (sw) => {
      const project = sw.world.project({ "devsecrets.env": "PGUSER=vault://database/creds/dev#username\n" }, "db");
      const env = { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: vw.userToken };
      const login = await sw.run(["login"], { cwd: project, env });
      t.is(login.code, 0, login.stderr);
      const got = await sw.run(["get", "PGUSER"], { cwd: project });
      t.is(got.code, 0, got.stderr);
      const list = async () =>
        ((await vw.bao.api("LIST", "sys/leases/lookup/database/creds/dev/")).body?.data?.keys ?? []) as string[];
      t.is((await list()).length, 1);

      const token = /"vaultToken":\{"secret":"([^"]+)"\}/.exec(await sw.keychainItems())?.[1];
      t.truthy(token, "the session's Vault token is kept in the keychain with the session");
      for (const pid of daemonPidsOf(sw.world)) await killAndWait(pid, "SIGKILL");

      // a new daemon resumes the session and revokes what the dead one handed out
      const start = await sw.run(["daemon", "start"], { cwd: project });
      t.is(start.code, 0, start.stderr);
      const status = await sw.status();
      t.is(status.session.kind, "login");
      // the start answers first and undoes the journal in the background: the lease goes soon after, not before status
      const settleBy = Date.now() + 20_000;
      while ((await list()).length > 0 && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 100));
      t.deepEqual(await list(), []);
      t.is(
        (await vw.bao.api("GET", "auth/token/lookup-self", undefined, token)).status,
        200,
        "the resumed session keeps its token",
      );

      const logout = await sw.run(["logout"], { cwd: project });
      t.is(logout.code, 0, logout.stderr);
      t.is((await vw.bao.api("GET", "auth/token/lookup-self", undefined, token)).status, 403);
      t.is((await vw.bao.api("GET", "auth/token/lookup-self", undefined, vw.userToken)).status, 200);
    });
  } finally {
    await vw.stop();
  }
});
