import test from "ava";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import pg from "pg";
import { join } from "node:path";
import { cli, waitFor, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, killAndWait, withWorld } from "../helpers/daemon-process.js";
import { startCluster } from "../helpers/postgres.js";
import { serviceProcessesOf, servicesRoot } from "../helpers/service-processes.js";

const PROJECT = {
  "devsecrets.env": ["url", "host", "port", "username", "password", "dbname"]
    .map((field) => `PG_${field.toUpperCase()}=sandbox://postgres/database#${field}`)
    .concat("")
    .join("\n"),
};

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

function leftovers(world: World): { pids: number[]; folders: string[] } {
  const root = servicesRoot(world);
  return { pids: serviceProcessesOf(world), folders: existsSync(root) ? readdirSync(root) : [] };
}

async function query(config: pg.ClientConfig, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    // several statements answer one result each: the last one's rows
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(result) ? result.at(-1) : result)?.rows ?? [];
  } finally {
    await client.end().catch(() => {});
  }
}

test("postgres/database: a throwaway PostgreSQL behind a loopback proxy takes the minted login and refuses a made-up password; logout leaves nothing", async (t) => {
  await withWorld(async (world) => {
    await ok(world, ["login", "--store", "memory"]);
    const project = world.project(PROJECT);
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.is(vars.PG_HOST, "127.0.0.1");
    t.is(vars.PG_DBNAME, "app");
    t.regex(vars.PG_USERNAME as string, /^ds_[0-9a-f]{8}$/);
    const port = Number(vars.PG_PORT);
    const rows = await query(
      { connectionString: vars.PG_URL },
      "CREATE TABLE t (v text); INSERT INTO t VALUES ('x'); SELECT current_database() AS db, current_user AS who",
    );
    t.deepEqual(rows, [{ db: "app", who: vars.PG_USERNAME }]);
    const base = { host: "127.0.0.1", port, user: vars.PG_USERNAME, database: "app" };
    const wrong = await t.throwsAsync(query({ ...base, password: "made-up-password" }, "SELECT 1"));
    t.is((wrong as { code?: string }).code, "28P01", "password authentication failed");
    t.truthy(await t.throwsAsync(query({ ...base, password: "" }, "SELECT 1")), "no password, no login");
    const pids = serviceProcessesOf(world);
    t.true(pids.length > 0);
    // under root (CI) the server runs as Debian's postgres account, never as root
    const expectedUid =
      process.getuid?.() === 0
        ? Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }))
        : (process.getuid?.() ?? -1);
    for (const pid of pids) {
      // a backend of a login that just ended (the refused ones above) may exit between the listing and this read
      let status: string;
      let cmdline: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, "latin1");
        cmdline = readFileSync(`/proc/${pid}/cmdline`, "latin1");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH")
          continue;
        throw error;
      }
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      t.is(Number(uid), expectedUid, `pid ${pid} runs as uid ${expectedUid}`);
      t.false(cmdline.includes(vars.PG_PASSWORD as string), "no password in argv");
    }

    await ok(world, ["logout"]);
    t.deepEqual(leftovers(world), { pids: [], folders: [] }, "logout stopped the server and removed its folder");
  });
});

test("postgres/database: daemon stop and a SIGKILL of the daemon followed by a start leave no server process and no folder", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    await ok(world, ["env", "--format", "json"], project);
    t.true(serviceProcessesOf(world).length > 0);
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(leftovers(world), { pids: [], folders: [] }, "daemon stop");

    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.deepEqual(await query({ connectionString: vars.PG_URL }, "SELECT 1 AS one"), [{ one: 1 }]);
    const [daemon] = daemonPidsOf(world);
    await killAndWait(daemon as number, "SIGKILL");
    await waitFor(() => serviceProcessesOf(world).length === 0, 15_000, "the server to die with the daemon");
    await ok(world, ["status"]);
    await waitFor(() => leftovers(world).folders.length === 0, 10_000, "the next start to remove the folder");
    t.deepEqual(leftovers(world), { pids: [], folders: [] });
  });
});

// the grace is long enough that the old login's check right after rotate answers within it on a loaded CI machine
// (with 4 s, an env and two queries under load once took longer than the grace); the refusal is checked after it
test("postgres/database: sandbox rotate --grace 8s gives a new login, the old one works within the grace and is refused after it", async (t) => {
  await withWorld(async (world) => {
    const project = world.project(PROJECT);
    const before = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    await query({ connectionString: before.PG_URL }, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('x')");
    const rotatedAt = Date.now();
    t.is((await cli(world, ["sandbox", "rotate", "--grace", "8s"], { cwd: project })).code, 0);
    // the grace starts inside the daemon between these two times: "within" counts from the first, "after" from the second
    const rotateAnsweredAt = Date.now();
    t.deepEqual(await query({ connectionString: before.PG_URL }, "SELECT 1 AS one"), [{ one: 1 }], "within the grace");
    t.true(Date.now() - rotatedAt < 8_000, "the old login was tried within the grace");
    const after = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.not(after.PG_USERNAME, before.PG_USERNAME);
    t.not(after.PG_PASSWORD, before.PG_PASSWORD);
    t.is(after.PG_PORT, before.PG_PORT, "the same server");
    t.deepEqual(await query({ connectionString: after.PG_URL }, "SELECT v FROM kept"), [{ v: "x" }], "the data stays");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, rotateAnsweredAt + 8_000 + 1_000 - Date.now())));
    const refused = await t.throwsAsync(query({ connectionString: before.PG_URL }, "SELECT 1"));
    t.regex((refused as Error).message, /not permitted to log in/);
    t.deepEqual(await query({ connectionString: after.PG_URL }, "SELECT 1 AS one"), [{ one: 1 }]);
  });
});

test("postgres/database with an admin URL: a database ds_<id> owned by a new role on that server, no throwaway server; logout drops both", async (t) => {
  const cluster = await startCluster();
  try {
    await withWorld(async (world) => {
      world.env.DEVSECRETS_PG_ADMIN_URL = cluster.adminUrl;
      await ok(world, ["login", "--store", "memory"]);
      const project = world.project(PROJECT);
      const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
      t.regex(vars.PG_DBNAME as string, /^ds_[0-9a-f]{8}_[0-9a-f]{8}$/);
      t.is(vars.PG_USERNAME, vars.PG_DBNAME);
      t.is(vars.PG_PORT, String(cluster.port));
      const rows = await query(
        { connectionString: vars.PG_URL },
        "CREATE TABLE t (v text); SELECT current_database() AS db, current_user AS who",
      );
      t.deepEqual(rows, [{ db: vars.PG_DBNAME, who: vars.PG_USERNAME }]);
      const owner = await cluster.query("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [
        vars.PG_DBNAME,
      ]);
      t.deepEqual(owner.rows, [{ owner: vars.PG_USERNAME }]);
      t.deepEqual(serviceProcessesOf(world), [], "no throwaway server was started");

      await ok(world, ["logout"]);
      t.is((await cluster.query("SELECT 1 FROM pg_database WHERE datname = $1", [vars.PG_DBNAME])).rowCount, 0);
      t.is((await cluster.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [vars.PG_USERNAME])).rowCount, 0);
    });
  } finally {
    await cluster.destroy();
  }
});

test("postgres/database with an admin URL: a database left by a killed daemon and journaled past the session's expiry is dropped by the next start, not marked expired", async (t) => {
  const cluster = await startCluster();
  try {
    await withWorld(async (world) => {
      world.env.DEVSECRETS_PG_ADMIN_URL = cluster.adminUrl;
      // 8 s: the database must be made before the session ends, also when an env takes seconds on a loaded machine
      await ok(world, ["login", "--store", "memory", "--ttl", "8s"]);
      const project = world.project(PROJECT);
      const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
      await query({ connectionString: vars.PG_URL }, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('data')");
      const [daemon] = daemonPidsOf(world);
      await killAndWait(daemon as number, "SIGKILL");
      const exists = async () =>
        ((await cluster.query("SELECT 1 FROM pg_database WHERE datname = $1", [vars.PG_DBNAME])).rowCount ?? 0) +
        ((await cluster.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [vars.PG_USERNAME])).rowCount ?? 0);
      t.is(await exists(), 2, "a killed daemon could not drop them");
      // the entry's expiresAt (the session's end) passes while no daemon runs
      const journal = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "journal.jsonl"), "utf8");
      const entry = journal
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { op: string; entry?: { id: string; expiresAt?: string } })
        .find((line) => line.op === "add" && line.entry?.id === vars.PG_DBNAME)?.entry;
      const expiresAt = Date.parse(entry?.expiresAt ?? "");
      t.true(Number.isFinite(expiresAt), "the database is journaled with the session's expiry");
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1_000));

      t.is((await cli(world, ["status"])).code, 0, "autostart runs the recovery");
      await waitFor(async () => (await exists()) === 0, 20_000, "the next start to drop the expired database and role");
      t.is(await exists(), 0);
    });
  } finally {
    await cluster.destroy();
  }
});

test("postgres/role without an admin URL: a real role with the grants asked on the session's throwaway server; the wipe takes the server and its roles", async (t) => {
  await withWorld(async (world) => {
    delete world.env.DEVSECRETS_PG_ADMIN_URL;
    await ok(world, ["login", "--store", "memory"]);
    const project = world.project({
      "devsecrets.env": [
        "PG_URL=sandbox://postgres/database#url",
        "PG_PORT=sandbox://postgres/database#port",
        "WRITER_URL=sandbox://postgres/role?db=app&grant=readwrite#url",
        "READER_URL=sandbox://postgres/role#url",
        "READER=sandbox://postgres/role#username",
        "",
      ].join("\n"),
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const writer = new URL(vars.WRITER_URL as string);
    const reader = new URL(vars.READER_URL as string);
    for (const url of [writer, reader]) {
      t.is(url.hostname, "127.0.0.1");
      t.is(url.port, vars.PG_PORT as string, "the throwaway server's proxy");
      t.is(url.pathname, "/app");
      t.regex(decodeURIComponent(url.username), /^ds_[0-9a-f]{8}_[0-9a-f]{8}$/);
    }
    t.is(decodeURIComponent(reader.username), vars.READER as string);
    t.true(serviceProcessesOf(world).length > 0, "one throwaway server");

    await query({ connectionString: vars.PG_URL }, "CREATE TABLE items (v text); INSERT INTO items VALUES ('a')");
    t.deepEqual(
      await query(
        { connectionString: vars.WRITER_URL },
        "INSERT INTO items VALUES ('b'); SELECT count(*)::int AS n FROM items",
      ),
      [{ n: 2 }],
      "readwrite inserts and reads",
    );
    t.deepEqual(await query({ connectionString: vars.READER_URL }, "SELECT count(*)::int AS n FROM items"), [{ n: 2 }]);
    const readOnly = await t.throwsAsync(
      query({ connectionString: vars.READER_URL }, "INSERT INTO items VALUES ('c')"),
    );
    t.is((readOnly as { code?: string }).code, "42501", "readonly (the default) may not insert");
    const noRoles = await t.throwsAsync(query({ connectionString: vars.WRITER_URL }, "CREATE ROLE intruder"));
    t.is((noRoles as { code?: string }).code, "42501", "no minted role creates roles");
    const wrong = new URL(vars.WRITER_URL as string);
    wrong.password = "made-up-password";
    const refused = await t.throwsAsync(query({ connectionString: wrong.href }, "SELECT 1"));
    t.is((refused as { code?: string }).code, "28P01");
    const roles = await query(
      { connectionString: vars.PG_URL },
      `SELECT rolname FROM pg_roles WHERE rolname IN ('${decodeURIComponent(writer.username)}', '${vars.READER}') ORDER BY 1`,
    );
    t.is(roles.length, 2, "both roles exist on the throwaway server");

    // a rotation: the new reader logs in, the old one is refused once the grace (0 s here) is over
    await ok(world, ["sandbox", "rotate", "READER_URL", "--grace", "0s"], project);
    const rotated = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.not(rotated.READER_URL, vars.READER_URL);
    t.deepEqual(await query({ connectionString: rotated.READER_URL }, "SELECT count(*)::int AS n FROM items"), [
      { n: 2 },
    ]);
    const retired = await t.throwsAsync(query({ connectionString: vars.READER_URL }, "SELECT 1"));
    t.regex((retired as Error).message, /not permitted to log in/);
    t.deepEqual(await query({ connectionString: vars.WRITER_URL }, "SELECT 1 AS one"), [{ one: 1 }], "not rotated");

    await ok(world, ["logout"]);
    t.deepEqual(leftovers(world), { pids: [], folders: [] }, "logout stopped the server, its roles with it");
    t.truthy(await t.throwsAsync(query({ connectionString: vars.WRITER_URL }, "SELECT 1")), "nothing answers there");
  });
});
