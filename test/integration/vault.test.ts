// vault:// against a real OpenBao and a real PostgreSQL, through `devsecrets run` as a user runs it.
// Rule: every server, daemon and cluster is started here and stopped by pid; values are read back from files the apps write.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { loginError } from "../helpers/postgres.js";
import { subscribeEvents } from "../helpers/sse.js";
import { envApp, pgLoginApp, startVaultWorld, type VaultWorld } from "../helpers/vault-world.js";

let vw: VaultWorld;

test.before(async () => {
  vw = await startVaultWorld({ postgres: true });
});

test.after.always(async () => {
  await vw?.stop();
});

async function withWorld(body: (world: World) => Promise<void>): Promise<void> {
  const world = makeWorld();
  try {
    await body(world);
  } finally {
    await world.cleanup();
  }
}

function vaultEnv(token = vw.userToken, extra: Record<string, string> = {}): Record<string, string> {
  return { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: token, ...extra };
}

async function login(world: World, cwd: string, env: Record<string, string>, ...args: string[]): Promise<string> {
  const r = await cli(world, ["login", "--store", "memory", ...args], { cwd, env });
  if (r.code !== 0) throw new Error(`login failed (${r.code}): ${r.stderr}`);
  return r.stderr;
}

async function runApp(
  world: World,
  cwd: string,
  app: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  return cli(world, ["run", "--", ...app], { cwd, env });
}

function readOut<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

async function leaseIds(prefix: string): Promise<string[]> {
  const r = await vw.bao.api("LIST", `sys/leases/lookup/${prefix}`);
  return r.status === 404 ? [] : ((r.body?.data?.keys ?? []) as string[]);
}

/** the session's token accessor, found by the meta devsecrets puts on its child token */
async function sessionAccessor(sessionId: string): Promise<string | null> {
  const list = await vw.bao.api("LIST", "auth/token/accessors");
  for (const accessor of (list.body?.data?.keys ?? []) as string[]) {
    const r = await vw.bao.api("POST", "auth/token/lookup-accessor", { accessor });
    if (r.body?.data?.meta?.devsecrets_session === sessionId) return accessor;
  }
  return null;
}

async function sessionId(world: World, cwd: string): Promise<string> {
  const r = await cli(world, ["status", "--json"], { cwd });
  return (JSON.parse(r.stdout) as { session: { id: string } }).session.id;
}

test.serial("KV v1 and v2 values reach an app started by devsecrets run; ?version=N is honoured", async (t) => {
  await vw.bao.api("POST", "secret/data/kvtest", { data: { api_key: "kv2-first", other: "o" } });
  await vw.bao.api("POST", "secret/data/kvtest", { data: { api_key: "kv2-second", other: "o" } });
  await vw.bao.api("POST", "kv1/kvtest", { api_key: "kv1-value" });
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env":
        "V2=vault://secret/kvtest#api_key\nV2_OLD=vault://secret/kvtest?version=1#api_key\nV1=vault://kv1/kvtest#api_key\n",
    });
    await login(world, project, vaultEnv());
    const out = join(world.root, "out.json");
    const r = await runApp(world, project, envApp(out, ["V2", "V2_OLD", "V1"]));
    t.is(r.code, 0, r.stderr);
    t.deepEqual(readOut(out), { V2: "kv2-second", V2_OLD: "kv2-first", V1: "kv1-value" });

    const doctor = await cli(world, ["doctor", "--json"], { cwd: project });
    const check = (
      JSON.parse(doctor.stdout) as { checks: { name: string; ok: boolean; detail: string }[] }
    ).checks.find((c) => c.name === "vault");
    t.true(check?.ok, check?.detail);
    t.true(check?.detail.includes(`${vw.bao.address} reachable, unsealed`), check?.detail);
    t.regex(check?.detail ?? "", /session token \(child, revoked at logout\) expires in 7h59m|expires in 8h/);

    // a missing field names the fields there are, never a value
    world.project({ "devsecrets.env": "X=vault://secret/kvtest#nope\n" }, "missing-field");
    const missing = await cli(world, ["run", "--", "true"], { cwd: join(world.root, "missing-field") });
    t.is(missing.code, 1);
    t.regex(missing.stderr, /DS_REF_NOT_FOUND.*no field "nope" \(fields: api_key, other\)/);
    t.false(missing.stderr.includes("kv2-second"));

    // a path the policy does not grant: the hint names the policy path
    await vw.bao.api("POST", "secret/data/locked", { data: { k: "v" } });
    world.project({ "devsecrets.env": "X=vault://cubbyhole-nope/x#k\n" }, "forbidden");
    const denied = await cli(world, ["run", "--", "true"], { cwd: join(world.root, "forbidden") });
    t.is(denied.code, 1);
    t.regex(denied.stderr, /DS_VAULT_FORBIDDEN/);
    t.regex(denied.stderr, /path "cubbyhole-nope\/x" \{ capabilities = \["read"\] \}/);
  });
});

test.serial(
  "database creds: #username and #password from ONE lease log into PostgreSQL from an app; logout revokes everything but the user's token",
  async (t) => {
    const pg = vw.pg as NonNullable<VaultWorld["pg"]>;
    await withWorld(async (world) => {
      const project = world.project({
        "devsecrets.env":
          "PGUSER=vault://database/creds/dev#username\nPGPASSWORD=vault://database/creds/dev#password\n",
      });
      await login(world, project, vaultEnv());
      const id = await sessionId(world, project);
      const out = join(world.root, "pg.json");
      const r = await runApp(world, project, pgLoginApp(pg.port, out));
      t.is(r.code, 0, r.stderr);
      const seen = readOut<{ ok: boolean; user: string; error?: string }>(out);
      t.true(seen.ok, seen.error);
      t.regex(seen.user, /^v-/);
      t.is((await leaseIds("database/creds/dev/")).length, 1, "one lease for both fields");

      // a second run in the same session reuses the lease
      const again = await runApp(world, project, pgLoginApp(pg.port, out));
      t.is(again.code, 0, again.stderr);
      t.is(readOut<{ user: string }>(out).user, seen.user);
      t.is((await leaseIds("database/creds/dev/")).length, 1);
      const status = JSON.parse((await cli(world, ["status", "--json"], { cwd: project })).stdout);
      t.is(status.session.counts.leases, 1);

      const accessor = await sessionAccessor(id);
      t.truthy(accessor, "the session works on a child token");
      const logout = await cli(world, ["logout"], { cwd: project });
      t.is(logout.code, 0, logout.stderr);
      t.deepEqual(await leaseIds("database/creds/dev/"), []);
      const role = await pg.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [seen.user]);
      t.is(role.rowCount, 0, "the role is dropped");
      t.truthy(await loginError(`postgres://${seen.user}:x@127.0.0.1:${pg.port}/postgres`));
      const lookup = await vw.bao.api("POST", "auth/token/lookup-accessor", { accessor });
      t.not(lookup.status, 200, "the session's token is revoked");
      const user = await vw.bao.api("GET", "auth/token/lookup-self", undefined, vw.userToken);
      t.is(user.status, 200, "the user's own token still works");
    });
  },
);

test.serial("a lease with a 6 s TTL (max 60 s) stays valid past its TTL while the session lives", async (t) => {
  const pg = vw.pg as NonNullable<VaultWorld["pg"]>;
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env":
        "PGUSER=vault://database/creds/short#username\nPGPASSWORD=vault://database/creds/short#password\n",
    });
    await login(world, project, vaultEnv());
    const out = join(world.root, "pg.json");
    t.is((await runApp(world, project, pgLoginApp(pg.port, out))).code, 0);
    const first = readOut<{ ok: boolean; user: string }>(out);
    t.true(first.ok);
    await new Promise((r) => setTimeout(r, 10_000));
    const later = await runApp(world, project, pgLoginApp(pg.port, out));
    t.is(later.code, 0, later.stderr);
    const second = readOut<{ ok: boolean; user: string; error?: string }>(out);
    t.true(second.ok, second.error);
    t.is(second.user, first.user, "the same lease, renewed");
    const [lease] = await leaseIds("database/creds/short/");
    const info = await vw.bao.api("PUT", "sys/leases/lookup", { lease_id: `database/creds/short/${lease}` });
    t.true((info.body?.data?.ttl ?? 0) > 0);
    await cli(world, ["logout"], { cwd: project });
    t.deepEqual(await leaseIds("database/creds/short/"), []);
  });
});

test.serial("a KV v2 write is seen as `rotate` by an SSE subscriber, naming the variables", async (t) => {
  await vw.bao.api("POST", "secret/data/rotating", { data: { token: "one" } });
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "ROT=vault://secret/rotating#token\n" });
    await login(world, project, vaultEnv(vw.userToken, { DEVSECRETS_VAULT_POLL_MS: "300" }));
    const out = join(world.root, "out.json");
    t.is((await runApp(world, project, envApp(out, ["ROT"]))).code, 0);
    t.deepEqual(readOut(out), { ROT: "one" });
    const events = await subscribeEvents(world.socket);
    try {
      await vw.bao.api("POST", "secret/data/rotating", { data: { token: "two" } });
      const rotate = await events.nextData<{ names: string[]; references: string[] }>("rotate", 10_000);
      t.deepEqual(rotate.names, ["ROT"]);
      t.deepEqual(rotate.references, ["vault://secret/rotating#token"]);
      t.false(JSON.stringify(rotate).includes("two"));
    } finally {
      events.close();
    }
    t.is((await runApp(world, project, envApp(out, ["ROT"]))).code, 0);
    t.deepEqual(readOut(out), { ROT: "two" });
  });
});

test.serial("a production reference in a dev session is answered by a sandbox value, with a notice", async (t) => {
  await vw.bao.api("POST", "secret/data/prodonly", { data: { key: "real-production-value" } });
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": "P=vault://secret/prodonly?env=prod&sandbox=stripe/secret-key#key\n",
      "devsecrets.prod.env": "Q=vault://secret/prodonly#key\n",
    });
    await login(world, project, vaultEnv());
    const out = join(world.root, "out.json");
    const r = await cli(world, ["run", "--env", "prod", "--", ...envApp(out, ["P", "Q"])], { cwd: project });
    t.is(r.code, 0, r.stderr);
    const seen = readOut<{ P: string; Q: string }>(out);
    t.regex(seen.P, /^sk_test_/);
    t.not(seen.Q, "real-production-value");
    t.regex(r.stderr, /is for prod, and this session is dev: answered by a sandbox value/);
  });
});

test.serial(
  "a token whose policy forbids auth/token/create: the session uses it, says so, and logout revokes the leases one by one",
  async (t) => {
    await withWorld(async (world) => {
      const project = world.project({ "devsecrets.env": "PGUSER=vault://database/creds/dev#username\n" });
      const said = await login(world, project, vaultEnv(vw.userTokenNoChild));
      t.regex(said, /does not allow auth\/token\/create, so the session uses your own token/);
      const out = join(world.root, "out.json");
      t.is((await runApp(world, project, envApp(out, ["PGUSER"]))).code, 0);
      t.is((await leaseIds("database/creds/dev/")).length, 1);
      const logout = await cli(world, ["logout"], { cwd: project });
      t.is(logout.code, 0, logout.stderr);
      t.deepEqual(await leaseIds("database/creds/dev/"), []);
      t.is((await vw.bao.api("GET", "auth/token/lookup-self", undefined, vw.userTokenNoChild)).status, 200);
    });
  },
);

test.serial("--offline answers vault:// with sandbox values without contacting Vault", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "K=vault://secret/kvtest#api_key\n" });
    const said = await login(world, project, vaultEnv(vw.userToken, { VAULT_ADDR: "http://127.0.0.1:9" }), "--offline");
    t.regex(said, /offline/);
    const out = join(world.root, "out.json");
    const r = await runApp(world, project, envApp(out, ["K"]));
    t.is(r.code, 0, r.stderr);
    t.true(readOut<{ K: string }>(out).K.length >= 16);
  });
});

test.serial("approle and userpass logins: the session's token is the login's own, revoked at logout", async (t) => {
  await vw.bao.api("POST", "sys/auth/approle", { type: "approle" });
  await vw.bao.api("POST", "auth/approle/role/dev", { token_policies: ["devsecrets-test"], token_ttl: "1h" });
  const roleId = (await vw.bao.api("GET", "auth/approle/role/dev/role-id")).body.data.role_id as string;
  const secretId = (await vw.bao.api("POST", "auth/approle/role/dev/secret-id")).body.data.secret_id as string;
  await vw.bao.api("POST", "sys/auth/userpass", { type: "userpass" });
  await vw.bao.api("POST", "auth/userpass/users/dana", {
    password: "correct horse",
    token_policies: ["devsecrets-test"],
  });
  await vw.bao.api("POST", "secret/data/logins", { data: { k: "via-login" } });
  for (const [args, env, input] of [
    [["--vault-auth", "approle"], { VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId }, undefined],
    [["--vault-auth", "userpass", "--vault-user", "dana"], {}, "correct horse\n"],
  ] as const) {
    await withWorld(async (world) => {
      const project = world.project({ "devsecrets.env": "K=vault://secret/logins#k\n" });
      const r = await cli(world, ["login", "--store", "memory", "--vault", vw.bao.address, ...args], {
        cwd: project,
        env,
        ...(input ? { input } : {}),
      });
      t.is(r.code, 0, r.stderr);
      const got = await cli(world, ["get", "K"], { cwd: project });
      t.is(got.code, 0, got.stderr);
      t.is(got.stdout.trim(), "via-login");
      t.is((await cli(world, ["logout"], { cwd: project })).code, 0);
    });
  }
  const wrong = makeWorld();
  try {
    const project = wrong.project({ "devsecrets.env": "K=vault://secret/logins#k\n" });
    const r = await cli(
      wrong,
      ["login", "--store", "memory", "--vault", vw.bao.address, "--vault-auth", "userpass", "--vault-user", "dana"],
      { cwd: project, input: "wrong\n" },
    );
    t.is(r.code, 1);
    t.regex(r.stderr, /DS_VAULT_AUTH/);
    t.false(r.stderr.includes("wrong"));
  } finally {
    await wrong.cleanup();
  }
});
