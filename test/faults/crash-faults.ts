// SIGKILL fault runs: a real daemon with PostgreSQL roles, Vault (OpenBao) leases and sandbox tokens out is killed at a
// seeded random moment; the next start must revoke every journaled item. Shared by test/faults and bench/faults.
// Rule: every process it starts is stopped by pid; a failure is counted and described, never retried into a pass.

import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { Journal, type JournalEntry } from "../../daemon/leases/journal.js";
import { makeWorld, waitFor, type World } from "../helpers/sandbox-env.js";
import { startDaemon, type StartedDaemon } from "../helpers/daemon-process.js";
import { startKeyring, type Keyring } from "../helpers/keyring.js";
import { startVaultWorld, type VaultWorld } from "../helpers/vault-world.js";

export interface FaultOptions {
  runs: number;
  seed: number;
  /** chance that a run appends half a JSON line to the journal after the kill (run 1 always does, when there is one) */
  tornChance?: number;
  /** progress lines */
  log?: (line: string) => void;
}

export interface FaultRun {
  run: number;
  killAtMs: number;
  /** workload steps finished when the kill came */
  stepsDone: number;
  torn: boolean;
  /** non-session entries pending in the journal right after the kill */
  journaled: { postgresRoles: number; vaultLeases: number };
  /** journaled entries gone from the journal after the restart and from PostgreSQL / Vault */
  revoked: number;
  /** leases Vault issued that the journal never named: the kill came between Vault's answer and the fsync (a known gap) */
  unjournaledLeases: string[];
  failures: string[];
}

export interface FaultReport {
  seed: number;
  runs: FaultRun[];
  totals: {
    runs: number;
    journaled: number;
    revoked: number;
    failures: number;
    tornRuns: number;
    sandboxTokens: number;
    unjournaledLeases: number;
  };
  workloadMs: number;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROJECTS = {
  a: [
    "DB_URL=sandbox://postgres/role?db=app&grant=readonly#url",
    "PGUSER=vault://database/creds/dev#username",
    "PGPASSWORD=vault://database/creds/dev#password",
    "STRIPE_SECRET_KEY=sandbox://stripe/secret-key",
  ],
  b: [
    "RW_URL=sandbox://postgres/role?db=app&grant=readwrite#url",
    "SHORT_USER=vault://database/creds/short#username",
    "GITHUB_TOKEN=sandbox://github/pat",
  ],
  c: ["OWNER_URL=sandbox://postgres/role?db=app&grant=owner#url", "SLACK=sandbox://slack/bot"],
};

interface Stage {
  vw: VaultWorld;
  keyring: Keyring;
  world: World;
  projects: Record<keyof typeof PROJECTS, string>;
  daemonEnv: Record<string, string>;
}

async function call(
  world: World,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const r = await socketRequest({
    socket: world.socket,
    method,
    path,
    ...(body === undefined ? {} : { body }),
    timeoutMs: 20_000,
  });
  return { status: r.status, body: r.body ? JSON.parse(r.body) : null };
}

async function must(world: World, method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<any> {
  const r = await call(world, method, path, body);
  if (r.status >= 300)
    throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body?.error ?? r.body)}`);
  return r.body;
}

async function start(stage: Stage): Promise<StartedDaemon> {
  const daemon = startDaemon(stage.world, stage.daemonEnv);
  await waitFor(
    async () => {
      try {
        return (await call(stage.world, "GET", "/v1/health")).status === 200;
      } catch {
        return false;
      }
    },
    20_000,
    "the daemon to answer /v1/health",
  );
  return daemon;
}

/** the session as a user's day would go: login with Vault, three projects resolved (two at once), sandbox mints */
async function workload(stage: Stage, progress: { steps: number; mints: number }): Promise<void> {
  const { world, vw, projects } = stage;
  await must(world, "POST", "/v1/session", {
    store: "keychain",
    vault: { address: vw.bao.address, auth: "token", token: vw.userToken },
  });
  progress.steps++;
  await must(world, "POST", "/v1/resolve", { cwd: projects.a });
  progress.steps++;
  await must(world, "POST", "/v1/sandbox/mint", { kind: "github/pat" });
  progress.mints++;
  progress.steps++;
  await Promise.all([
    must(world, "POST", "/v1/resolve", { cwd: projects.b }),
    must(world, "POST", "/v1/resolve", { cwd: projects.c }),
  ]);
  progress.steps++;
  await must(world, "POST", "/v1/sandbox/mint", { kind: "stripe/secret-key" });
  progress.mints++;
  progress.steps++;
}

async function rolesLeft(vw: VaultWorld): Promise<string[]> {
  return (await vw.pg!.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE 'ds\\_%'")).rows.map(
    (r) => r.rolname,
  );
}

async function leasesLeft(vw: VaultWorld): Promise<string[]> {
  const left: string[] = [];
  for (const role of ["dev", "short"]) {
    const keys = ((await vw.bao.api("LIST", `sys/leases/lookup/database/creds/${role}/`)).body?.data?.keys ??
      []) as string[];
    left.push(...keys.map((k) => `database/creds/${role}/${k}`));
  }
  return left;
}

function nonSession(entries: JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.kind !== "session");
}

async function setUp(): Promise<Stage> {
  const vw = await startVaultWorld({ postgres: true });
  let keyring: Keyring | null = null;
  try {
    keyring = await startKeyring();
    await vw.pg!.query("CREATE DATABASE app");
    const world = makeWorld();
    const projects = {
      a: world.project({ "devsecrets.env": `${PROJECTS.a.join("\n")}\n` }, "a"),
      b: world.project({ "devsecrets.env": `${PROJECTS.b.join("\n")}\n` }, "b"),
      c: world.project({ "devsecrets.env": `${PROJECTS.c.join("\n")}\n` }, "c"),
    };
    const daemonEnv = {
      DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS as string,
      DEVSECRETS_PG_ADMIN_URL: vw.pg!.adminUrl,
    };
    return { vw, keyring, world, projects, daemonEnv };
  } catch (error) {
    await keyring?.stop();
    await vw.stop();
    throw error;
  }
}

async function tearDown(stage: Stage, daemon: StartedDaemon | null): Promise<void> {
  if (daemon) {
    try {
      process.kill(daemon.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    await Promise.race([daemon.exit, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await stage.world.cleanup();
  await stage.keyring.stop();
  await stage.vw.stop();
}

export async function runCrashFaults(options: FaultOptions): Promise<FaultReport> {
  const random = seededRandom(options.seed);
  const say = options.log ?? (() => {});
  const stage = await setUp();
  const journalPath = join(stage.world.env.XDG_STATE_HOME as string, "devsecrets", "journal.jsonl");
  const logPath = join(stage.world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log");
  const runs: FaultRun[] = [];
  let sandboxTokens = 0;
  let daemon: StartedDaemon | null = null;
  let workloadMs = 0;
  try {
    daemon = await start(stage);
    // one full session unkilled: how long the window to kill in is, and a check that the set-up works at all
    const warm = { steps: 0, mints: 0 };
    const began = Date.now();
    await workload(stage, warm);
    workloadMs = Date.now() - began;
    await must(stage.world, "DELETE", "/v1/session");
    if ((await rolesLeft(stage.vw)).length > 0 || (await leasesLeft(stage.vw)).length > 0)
      throw new Error("logout of the warm-up session left roles or leases");

    for (let run = 0; run < options.runs; run++) {
      const killAtMs = Math.round(random() * workloadMs * 1.15);
      const torn = run === 1 || random() < (options.tornChance ?? 0.3);
      const failures: string[] = [];
      const progress = { steps: 0, mints: 0 };
      const work = workload(stage, progress).catch(() => undefined);
      await new Promise((r) => setTimeout(r, killAtMs));
      process.kill(daemon.pid, "SIGKILL");
      await daemon.exit;
      daemon = null;
      await work;
      sandboxTokens += progress.mints;

      const pending = nonSession(new Journal(journalPath).pending());
      const roles = pending.filter((e) => e.kind === "postgres-role").map((e) => e.id);
      const leases = pending.filter((e) => e.kind === "vault-lease").map((e) => e.id);
      if (torn) appendFileSync(journalPath, `{"op":"add","entry":{"id":"ds_torn${run}","kind":"postgres-ro`);
      const logBefore = readFileSync(logPath, "utf8").length;

      daemon = await start(stage);
      // the start answers first (health, from the instant it listens), logs `started` once the core has loaded and the
      // session resumed (up to ~5 s), and undoes the journal in the background: give both a bounded while before looking
      const settleBy = Date.now() + 20_000;
      const startedLogged = () => /"event":"started"/.test(readFileSync(logPath, "utf8").slice(logBefore));
      while ((nonSession(new Journal(journalPath).pending()).length > 0 || !startedLogged()) && Date.now() < settleBy) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const after = nonSession(new Journal(journalPath).pending());
      const rolesNow = await rolesLeft(stage.vw);
      const leasesNow = await leasesLeft(stage.vw);
      const newLog = readFileSync(logPath, "utf8").slice(logBefore);
      if (after.length > 0)
        failures.push(`journal still pending after restart: ${after.map((e) => `${e.kind}:${e.id}`).join(", ")}`);
      for (const role of roles) if (rolesNow.includes(role)) failures.push(`journaled role ${role} still in pg_roles`);
      for (const lease of leases)
        if (leasesNow.includes(lease)) failures.push(`journaled lease ${lease} still in sys/leases/lookup`);
      const unjournaledRoles = rolesNow.filter((r) => !roles.includes(r));
      const unjournaledLeases = leasesNow.filter((l) => !leases.includes(l));
      if (unjournaledRoles.length) failures.push(`roles never journaled, left behind: ${unjournaledRoles.join(", ")}`);
      if (/"level":"error"/.test(newLog))
        failures.push(
          `the restart logged an error: ${newLog
            .split("\n")
            .filter((l) => l.includes('"level":"error"'))
            .join(" | ")
            .slice(0, 300)}`,
        );
      if (!/"event":"started"/.test(newLog)) failures.push("the restarted daemon did not log `started`");
      const revoked = [...roles, ...leases].filter(
        (id) => !after.some((e) => e.id === id) && !rolesNow.includes(id) && !leasesNow.includes(id),
      ).length;

      // end the session (resumed or not) so the next run starts from a clean slate; what is left now is a failure too
      const out = await call(stage.world, "DELETE", "/v1/session");
      if (out.status !== 200) failures.push(`logout after restart answered ${out.status}`);
      // logout revokes the session's child token, and with it any lease the journal never named; OpenBao revokes a
      // token's leases in its expiration manager after answering, so the look waits for that, a bounded while
      let rolesEnd = await rolesLeft(stage.vw);
      let leasesEnd = await leasesLeft(stage.vw);
      for (const lookBy = Date.now() + 10_000; (rolesEnd.length || leasesEnd.length) && Date.now() < lookBy; ) {
        await new Promise((r) => setTimeout(r, 250));
        rolesEnd = await rolesLeft(stage.vw);
        leasesEnd = await leasesLeft(stage.vw);
      }
      if (rolesEnd.length || leasesEnd.length)
        failures.push(`after logout: ${rolesEnd.length} roles, ${leasesEnd.length} leases left`);

      const record: FaultRun = {
        run,
        killAtMs,
        stepsDone: progress.steps,
        torn,
        journaled: { postgresRoles: roles.length, vaultLeases: leases.length },
        revoked,
        unjournaledLeases,
        failures,
      };
      runs.push(record);
      say(
        `run ${run}: kill at ${killAtMs} ms after ${progress.steps} steps${torn ? " + torn line" : ""}; journaled ${roles.length} roles + ${leases.length} leases, revoked ${revoked}${unjournaledLeases.length ? `; never journaled: ${unjournaledLeases.join(", ")}` : ""}${failures.length ? `; FAILED: ${failures.join("; ")}` : ""}`,
      );
    }
  } finally {
    await tearDown(stage, daemon);
  }
  const journaled = runs.reduce((n, r) => n + r.journaled.postgresRoles + r.journaled.vaultLeases, 0);
  return {
    seed: options.seed,
    runs,
    workloadMs,
    totals: {
      runs: runs.length,
      journaled,
      revoked: runs.reduce((n, r) => n + r.revoked, 0),
      failures: runs.reduce((n, r) => n + r.failures.length, 0),
      tornRuns: runs.filter((r) => r.torn).length,
      sandboxTokens,
      unjournaledLeases: runs.reduce((n, r) => n + r.unjournaledLeases.length, 0),
    },
  };
}
