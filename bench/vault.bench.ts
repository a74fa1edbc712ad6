// vault:// resolve latency, cold (first in a session: mount lookup + read) and warm (the session's memo), against a direct
// node-vault read in the same run; and the logout wipe with 100 leases out. Real OpenBao dev server and PostgreSQL.
// Rule: figures and ratios from one run; nothing asserted. The core runs in-process; Vault and PostgreSQL are real.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodeVault from "node-vault";
import { createDaemonCore } from "../daemon/daemon-core.js";
import { WipeRegistry } from "../daemon/wipe/wipe-registry.js";
import type { Logger } from "../daemon/log.js";
import { startVaultWorld } from "../test/helpers/vault-world.js";
import { median, roundsFromEnv } from "./paired.js";
import { note, printTable } from "./report.js";

const BENCH = "vault";
const quietLog: Logger = { file: "/dev/null", info() {}, warn() {}, error() {} };

function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  return work().then((value) => [performance.now() - started, value]);
}

export async function run(): Promise<void> {
  const vw = await startVaultWorld({ postgres: true });
  const root = mkdtempSync(join(tmpdir(), "ds-bench-vault-"));
  try {
    const env = {
      HOME: root,
      XDG_RUNTIME_DIR: root,
      XDG_STATE_HOME: join(root, "state"),
      XDG_CONFIG_HOME: join(root, "config"),
      PATH: process.env.PATH ?? "",
    };
    const core = createDaemonCore({ socket: join(root, "unused.sock"), log: quietLog, wipe: new WipeRegistry(), env });
    const vault = { address: vw.bao.address, auth: "token" as const, token: vw.userToken };
    await vw.bao.api("POST", "secret/data/bench", { data: { api_key: "bench-value" } });
    const kv = join(root, "kv");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(kv);
    writeFileSync(join(kv, "devsecrets.env"), "K=vault://secret/bench#api_key\n");
    const direct = nodeVault({ endpoint: vw.bao.address, token: vw.userToken });

    const rounds = roundsFromEnv(30);
    const cold: number[] = [];
    const warm: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < rounds + 3; i++) {
      await core.login({ store: "memory", vault });
      const [c] = await timed(() => core.resolve({ cwd: kv }));
      const [w] = await timed(() => core.resolve({ cwd: kv }));
      const [p] = await timed(() => direct.read("secret/data/bench"));
      await core.logout();
      if (i < 3) continue; // warm-up
      cold.push(c);
      warm.push(w);
      peer.push(p);
    }
    const base = median(peer);
    printTable(
      BENCH,
      `resolve of one vault:// KV v2 reference, in-process core, median of ${rounds} interleaved rounds`,
      ["what", "median ms", "/ node-vault read"],
      [
        ["node-vault read (peer)", base, 1],
        ["devsecrets cold (mount lookup + read)", median(cold), median(cold) / base],
        ["devsecrets warm (session memo)", median(warm), median(warm) / base],
      ],
    );

    // 100 leases: one role each, so every reference is its own lease
    const pg = vw.pg as NonNullable<typeof vw.pg>;
    const creation = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`;
    const names = Array.from({ length: 100 }, (_, n) => `b${n}`);
    await vw.bao.api("POST", "database/config/pg", {
      plugin_name: "postgresql-database-plugin",
      connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${pg.port}/postgres?sslmode=disable`,
      username: "admin",
      password: "unused",
      allowed_roles: ["*"],
      verify_connection: false,
    });
    for (const name of names)
      await vw.bao.api("POST", `database/roles/${name}`, {
        db_name: "pg",
        creation_statements: [creation],
        default_ttl: "1h",
        max_ttl: "2h",
      });
    const policy = names.map((n) => `path "database/creds/${n}" { capabilities = ["read"] }`).join("\n");
    await vw.bao.api("PUT", "sys/policies/acl/devsecrets-test", {
      policy: `${(await vw.bao.api("GET", "sys/policies/acl/devsecrets-test")).body.data.policy}\n${policy}`,
    });
    const leases = join(root, "leases");
    mkdirSync(leases);
    writeFileSync(
      join(leases, "devsecrets.env"),
      names.map((n) => `U_${n}=vault://database/creds/${n}#username\n`).join(""),
    );
    const wipes: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 3; i++) {
      await core.login({ store: "memory", vault });
      const [r] = await timed(() => core.resolve({ cwd: leases }));
      const out = (await vw.bao.api("LIST", "sys/leases/lookup/database/creds/b0/")).body?.data?.keys?.length ?? 0;
      const [w, report] = await timed(() => core.logout());
      const left = (await vw.bao.api("LIST", "sys/leases/lookup/database/creds/b0/")).body?.data?.keys?.length ?? 0;
      if (out !== 1 || left !== 0 || Object.keys(report.failed).length)
        throw new Error(`lease bookkeeping off: out ${out}, left ${left}, failed ${JSON.stringify(report.failed)}`);
      reads.push(r);
      wipes.push(w);
    }
    printTable(
      BENCH,
      "100 leases (100 database roles on a real PostgreSQL): median of 3",
      ["what", "ms", "ms / lease"],
      [
        ["resolve 100 leased references (cold)", median(reads), median(reads) / 100],
        ["logout wipe: 100 lease revokes (8 at a time) + revoke-self", median(wipes), median(wipes) / 100],
      ],
    );
    note(
      BENCH,
      "each lease revoke drops a PostgreSQL role through OpenBao; the child token's revoke-self would take them too, but asynchronously",
    );
    await core.shutdown();
  } finally {
    rmSync(root, { recursive: true, force: true });
    await vw.stop();
  }
}
