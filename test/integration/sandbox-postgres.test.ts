import test from "ava";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { cli, makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait } from "../helpers/daemon-process.js";
import { loginError, startCluster, type Cluster } from "../helpers/postgres.js";

const PROJECT = [
  "RO_URL=sandbox://postgres/role?db=app&grant=readonly#url",
  "RO_USER=sandbox://postgres/role?db=app&grant=readonly#username",
  "RW_URL=sandbox://postgres/role?db=app&grant=readwrite#url",
  "OWNER_URL=sandbox://postgres/role?db=app&grant=owner#url",
  "",
].join("\n");

async function withPostgres(fn: (world: World, cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = await startCluster();
  const world = makeWorld();
  try {
    await cluster.query("CREATE DATABASE app");
    await cluster.query("CREATE TABLE items (id serial PRIMARY KEY, name text)", [], "app");
    await cluster.query("INSERT INTO items (name) VALUES ('first')", [], "app");
    world.env.DEVSECRETS_PG_ADMIN_URL = cluster.adminUrl;
    await fn(world, cluster);
  } finally {
    for (const pid of daemonPidsOf(world)) await killAndWait(pid, "SIGKILL");
    await world.cleanup();
    await cluster.destroy();
  }
}

async function envJson(world: World, cwd: string): Promise<Record<string, string>> {
  const result = await cli(world, ["env", "--format", "json"], { cwd });
  if (result.code !== 0) throw new Error(`devsecrets env failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}

async function asRole<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function sqlError(url: string, sql: string): Promise<string | null> {
  return asRole(url, async (client) => {
    try {
      await client.query(sql);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? "error";
    }
  });
}

async function roleNames(cluster: Cluster): Promise<string[]> {
  return (
    await cluster.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE 'ds\\_%' ORDER BY 1")
  ).rows.map((r) => r.rolname);
}

function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

test("minted roles log in with exactly the grants asked: readonly SELECTs only, readwrite INSERTs, owner CREATEs, none creates roles", async (t) => {
  await withPostgres(async (world, cluster) => {
    const login = await cli(world, ["login", "--store", "memory", "--json"]);
    t.is(login.code, 0, login.stderr);
    const sessionId = (JSON.parse(login.stdout) as { session: { id: string } }).session.id;
    const vars = await envJson(world, world.project({ "devsecrets.env": PROJECT }));
    const ro = vars.RO_URL as string;
    const rw = vars.RW_URL as string;
    const owner = vars.OWNER_URL as string;
    t.regex(userOf(ro), new RegExp(`^ds_${sessionId.replace(/-/g, "").slice(0, 8)}_[0-9a-f]{8}$`));
    t.is(vars.RO_USER, userOf(ro), "#username and #url come from one mint");
    t.regex(decodeURIComponent(new URL(ro).password), /^[A-Za-z0-9_-]{32}$/);
    t.is(new URL(ro).pathname, "/app");
    t.is(new Set([userOf(ro), userOf(rw), userOf(owner)]).size, 3);

    t.deepEqual(await asRole(ro, async (c) => (await c.query("SELECT name FROM items")).rows), [{ name: "first" }]);
    t.is(await sqlError(ro, "INSERT INTO items (name) VALUES ('x')"), "42501");
    t.is(await sqlError(ro, "CREATE TABLE mine (id int)"), "42501");
    t.is(
      await sqlError(rw, "INSERT INTO items (name) VALUES ('by readwrite')"),
      null,
      "the serial's sequence is usable",
    );
    t.is(await sqlError(rw, "DELETE FROM items WHERE name = 'by readwrite'"), null);
    t.is(await sqlError(rw, "CREATE TABLE mine (id int)"), "42501");
    for (const url of [ro, rw, owner]) t.is(await sqlError(url, "CREATE ROLE intruder"), "42501");
    t.is(await sqlError(owner, "CREATE TABLE made_by_owner (id int)"), null);
    // a table the admin makes later is readable by readonly: default privileges
    await cluster.query("CREATE TABLE later (id int)", [], "app");
    t.is(await sqlError(ro, "SELECT * FROM later"), null);

    const attributes = await cluster.query<{
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      until: string;
    }>("SELECT rolsuper, rolcreaterole, rolcreatedb, rolvaliduntil::text AS until FROM pg_roles WHERE rolname = $1", [
      userOf(ro),
    ]);
    t.like(attributes.rows[0], { rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const status = JSON.parse((await cli(world, ["status", "--json"])).stdout) as { session: { expiresAt: string } };
    t.true(
      Math.abs(Date.parse(attributes.rows[0]!.until) - Date.parse(status.session.expiresAt)) < 2_000,
      "VALID UNTIL is the session's expiry",
    );

    // logout: every role is gone and cannot log in; what the owner role made is kept, now the admin's
    const logout = await cli(world, ["logout", "--json"]);
    t.is(logout.code, 0, logout.stderr);
    t.is((JSON.parse(logout.stdout) as { wiped: Record<string, number> }).wiped.revoked, 3);
    t.deepEqual(await roleNames(cluster), []);
    for (const url of [ro, rw, owner])
      t.regex((await loginError(url)) ?? "logged in", /does not exist|authentication failed/);
    const kept = await cluster.query<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'made_by_owner'",
      [],
      "app",
    );
    t.deepEqual(kept.rows, [{ owner: "admin" }]);
  });
});

test("the anonymous session's roles are dropped when the daemon stops", async (t) => {
  await withPostgres(async (world, cluster) => {
    const vars = await envJson(
      world,
      world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app#url\n" }),
    );
    t.deepEqual(await roleNames(cluster), [userOf(vars.DATABASE_URL as string)]);
    t.is(await loginError(vars.DATABASE_URL as string), null);
    const stop = await cli(world, ["daemon", "stop", "--json"]);
    t.is(stop.code, 0, stop.stderr);
    t.deepEqual(await roleNames(cluster), []);
    t.truthy(await loginError(vars.DATABASE_URL as string));
  });
});

for (const end of ["logout", "daemon stop"] as const) {
  test(`a login adopts the anonymous session's role: same value after login, dropped at ${end}`, async (t) => {
    await withPostgres(async (world, cluster) => {
      const project = world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app#url\n" });
      const before = await envJson(world, project);
      const role = userOf(before.DATABASE_URL as string);
      const login = await cli(world, ["login", "--store", "memory"]);
      t.is(login.code, 0, login.stderr);
      // an app started before the login keeps working with the value it got, and new callers get the same one
      t.is((await envJson(world, project)).DATABASE_URL, before.DATABASE_URL);
      t.deepEqual(await roleNames(cluster), [role]);
      t.is(await loginError(before.DATABASE_URL as string), null);
      // the landed code kept the anonymous role through logout and daemon stop (journaled under a session no wipe ended)
      const ended = await cli(world, end === "logout" ? ["logout", "--json"] : ["daemon", "stop", "--json"]);
      t.is(ended.code, 0, ended.stderr);
      t.deepEqual(await roleNames(cluster), []);
      t.truthy(await loginError(before.DATABASE_URL as string));
      if (end === "logout") {
        // a login after the logout gives new values
        t.is((await cli(world, ["login", "--store", "memory"])).code, 0);
        const again = await envJson(world, project);
        t.not(again.DATABASE_URL, before.DATABASE_URL);
      }
    });
  });
}

test("after a SIGKILL of the daemon, the next start drops the role it had made (the journal)", async (t) => {
  await withPostgres(async (world, cluster) => {
    const vars = await envJson(
      world,
      world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app&grant=readwrite#url\n" }),
    );
    const pids = daemonPidsOf(world);
    t.is(pids.length, 1);
    // journal v2 (DESIGN): the role's entry says where it lives, and nothing secret
    const journal = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "journal.jsonl"), "utf8");
    const role = userOf(vars.DATABASE_URL as string);
    const line = journal
      .split("\n")
      .filter(Boolean)
      .map((text) => JSON.parse(text) as { op: string; entry?: Record<string, unknown> })
      .find((l) => l.op === "add" && l.entry?.id === role);
    t.like(line?.entry, {
      v: 2,
      kind: "postgres-role",
      origin: { host: "127.0.0.1", port: String(cluster.port), user: "admin", db: "app" },
    });
    t.true(typeof line?.entry?.session === "string" && typeof line?.entry?.expiresAt === "string");
    t.false(journal.includes(new URL(vars.DATABASE_URL as string).password), "no password in the journal");
    await killAndWait(pids[0] as number, "SIGKILL");
    t.deepEqual(await roleNames(cluster), [userOf(vars.DATABASE_URL as string)], "a killed daemon could not drop it");
    t.is((await cli(world, ["status"])).code, 0, "autostart runs the recovery");
    // in the background, after the daemon answers
    await waitFor(async () => (await roleNames(cluster)).length === 0, 15_000, "the next start to drop the role");
    t.deepEqual(await roleNames(cluster), []);
    t.truthy(await loginError(vars.DATABASE_URL as string));
  });
});

test("PostgreSQL down during logout: the wipe names the role it could not drop, and a later start drops it", async (t) => {
  await withPostgres(async (world, cluster) => {
    t.is((await cli(world, ["login", "--store", "memory"])).code, 0);
    const vars = await envJson(
      world,
      world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app#url\n" }),
    );
    const role = userOf(vars.DATABASE_URL as string);
    await cluster.stop();
    const logout = await cli(world, ["logout", "--json"]);
    // the wipe never claims success: the role is named among what it could not undo
    const answer = JSON.parse(logout.stdout) as {
      loggedOut: boolean;
      wiped: Record<string, number>;
      failed: Record<string, string[]>;
    };
    t.deepEqual(answer.failed.revoked, [`postgres-role:${role}`]);
    t.is(answer.wiped.revoked, 0);
    await cluster.start();
    t.deepEqual(await roleNames(cluster), [role]);
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.is((await cli(world, ["status"])).code, 0);
    // the start answers first and undoes the journal in the background (a dead server must not hold it)
    await waitFor(async () => (await roleNames(cluster)).length === 0, 15_000, "the next start to drop the role");
    t.deepEqual(await roleNames(cluster), []);
  });
});

test("the admin URL comes from the project's devsecrets.json or the user config; one with a password is a clear error; none means the throwaway server", async (t) => {
  await withPostgres(async (world, cluster) => {
    delete world.env.DEVSECRETS_PG_ADMIN_URL;
    const env = "DATABASE_URL=sandbox://postgres/role?db=app#url\n";
    // DESIGN: postgres/role without an admin URL goes to the session's throwaway server, never to the cluster
    // (another reference than the ones below: within one session a reference answers what it answered first)
    const none = await envJson(
      world,
      world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?grant=owner#url\n" }),
    );
    t.not(new URL(none.DATABASE_URL as string).port, String(cluster.port));
    t.is(await loginError(none.DATABASE_URL as string), null);
    t.deepEqual(await roleNames(cluster), [], "nothing was made on the cluster");

    const withPassword = cluster.adminUrl.replace("admin@", "admin:hunter2@");
    const refused = await cli(world, ["env"], {
      cwd: world.project({
        "devsecrets.env": env,
        "devsecrets.json": JSON.stringify({ postgres: { adminUrl: withPassword } }),
      }),
    });
    t.is(refused.code, 1);
    t.regex(refused.stderr, /contains a password, which is refused/);
    t.regex(refused.stderr, /keychain:\/\/pg-admin/);
    t.notRegex(refused.stderr, /hunter2/);

    const fromProject = await envJson(
      world,
      world.project({
        "devsecrets.env": env,
        "devsecrets.json": JSON.stringify({ postgres: { adminUrl: cluster.adminUrl } }),
      }),
    );
    t.is(await loginError(fromProject.DATABASE_URL as string), null);

    mkdirSync(join(world.env.XDG_CONFIG_HOME as string, "devsecrets"), { recursive: true });
    writeFileSync(
      join(world.env.XDG_CONFIG_HOME as string, "devsecrets", "config.json"),
      JSON.stringify({ postgres: { adminUrl: cluster.adminUrl } }),
    );
    // another reference: within one session the same reference answers the same role
    const fromUser = await envJson(
      world,
      world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app&grant=readwrite#url\n" }),
    );
    t.is(await loginError(fromUser.DATABASE_URL as string), null);
    t.not(fromUser.DATABASE_URL, fromProject.DATABASE_URL);

    const missingDb = await cli(world, ["env"], {
      cwd: world.project({ "devsecrets.env": "X=sandbox://postgres/role?db=nope#url\n" }),
    });
    t.regex(missingDb.stderr, /database "nope" does not exist/);
    t.deepEqual((await roleNames(cluster)).length, 2, "the failed mint left no role behind");
  });
});

test("sandbox rotate on a postgres/role of the admin server: the new role logs in, the old one is refused after the grace and dropped when the daemon stops", async (t) => {
  await withPostgres(async (world, cluster) => {
    const project = world.project({ "devsecrets.env": "DATABASE_URL=sandbox://postgres/role?db=app#url\n" });
    const before = await envJson(world, project);
    const rotate = await cli(world, ["sandbox", "rotate", "--grace", "0s"], { cwd: project });
    t.is(rotate.code, 0, rotate.stderr);
    const after = await envJson(world, project);
    t.not(userOf(after.DATABASE_URL as string), userOf(before.DATABASE_URL as string));
    t.is(await loginError(after.DATABASE_URL as string), null);
    t.regex((await loginError(before.DATABASE_URL as string)) ?? "", /not permitted to log in/);
    t.is((await roleNames(cluster)).length, 2, "the old role stays until the wipe");
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(await roleNames(cluster), []);
  });
});
