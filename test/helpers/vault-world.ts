// An OpenBao dev server set up as a team would: KV v1 and v2, a database engine on a throwaway PostgreSQL, a user token with a policy.
// Rule: everything is started for the test and stopped by it, by pid; PostgreSQL asks non-admin roles for their password (scram).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCluster, type Cluster } from "./postgres.js";
import { startOpenBao, type OpenBao } from "./openbao.js";
import { REPO_ROOT } from "./sandbox-env.js";

export const POLICY = `
path "secret/data/*" { capabilities = ["read"] }
path "secret/metadata/*" { capabilities = ["read"] }
path "kv1/*" { capabilities = ["read"] }
path "database/creds/dev" { capabilities = ["read"] }
path "database/creds/short" { capabilities = ["read"] }
path "sys/leases/renew" { capabilities = ["update"] }
path "sys/leases/revoke" { capabilities = ["update"] }
path "auth/token/create" { capabilities = ["create", "update"] }
`;

/** the same, without auth/token/create: the session must use the user's own token */
export const POLICY_NO_CHILD = POLICY.replace(/path "auth\/token\/create".*\n/, "");

export interface VaultWorld {
  bao: OpenBao;
  pg: Cluster | null;
  /** a token with POLICY, as a developer would have in VAULT_TOKEN */
  userToken: string;
  /** a token with POLICY_NO_CHILD */
  userTokenNoChild: string;
  stop(): Promise<void>;
}

async function must(bao: OpenBao, method: string, path: string, body?: unknown): Promise<any> {
  const r = await bao.api(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function startVaultWorld(options: { postgres?: boolean } = {}): Promise<VaultWorld> {
  const bao = await startOpenBao();
  let pg: Cluster | null = null;
  try {
    await must(bao, "POST", "sys/mounts/kv1", { type: "kv", options: { version: "1" } });
    await must(bao, "PUT", "sys/policies/acl/devsecrets-test", { policy: POLICY });
    await must(bao, "PUT", "sys/policies/acl/devsecrets-nochild", { policy: POLICY_NO_CHILD });
    if (options.postgres) {
      pg = await startCluster();
      // admin keeps trust (the cluster's helper and Vault's connection); every other role needs its password
      writeFileSync(
        join(pg.dir, "pg_hba.conf"),
        "local all all trust\nhost all admin 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
      );
      await pg.query("SELECT pg_reload_conf()");
      await must(bao, "POST", "sys/mounts/database", { type: "database" });
      await must(bao, "POST", "database/config/pg", {
        plugin_name: "postgresql-database-plugin",
        connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${pg.port}/postgres?sslmode=disable`,
        username: "admin",
        password: "unused-under-trust",
        allowed_roles: ["dev", "short"],
        verify_connection: true,
      });
      const creation = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT CONNECT ON DATABASE postgres TO "{{name}}";`;
      await must(bao, "POST", "database/roles/dev", {
        db_name: "pg",
        creation_statements: [creation],
        default_ttl: "1h",
        max_ttl: "2h",
      });
      await must(bao, "POST", "database/roles/short", {
        db_name: "pg",
        creation_statements: [creation],
        default_ttl: "6s",
        max_ttl: "60s",
      });
    }
    const user = await must(bao, "POST", "auth/token/create", {
      policies: ["devsecrets-test"],
      ttl: "2h",
      display_name: "developer",
    });
    const noChild = await must(bao, "POST", "auth/token/create", {
      policies: ["devsecrets-nochild"],
      ttl: "2h",
      display_name: "developer-nochild",
    });
    return {
      bao,
      pg,
      userToken: user.auth.client_token as string,
      userTokenNoChild: noChild.auth.client_token as string,
      async stop() {
        await bao.stop();
        await pg?.destroy();
      },
    };
  } catch (error) {
    await bao.stop();
    await pg?.destroy();
    throw error;
  }
}

/** an app (run by `devsecrets run`) that logs in to PostgreSQL with PGUSER/PGPASSWORD and writes what happened to `out` */
export function pgLoginApp(port: number, out: string): string[] {
  const pgPath = join(REPO_ROOT, "node_modules", "pg", "lib", "index.js");
  const code = `
const pg = require(${JSON.stringify(pgPath)});
const fs = require("fs");
const c = new pg.Client({ host: "127.0.0.1", port: ${port}, database: "postgres", connectionTimeoutMillis: 5000 });
c.connect().then(() => c.query("SELECT current_user AS u")).then((r) => {
  fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ ok: true, user: r.rows[0].u, env: process.env.PGUSER }));
  return c.end();
}, (e) => { fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ ok: false, error: e.message })); });`;
  return [process.execPath, "-e", code];
}

/** an app that writes the named variables as JSON to `out` */
export function envApp(out: string, names: string[]): string[] {
  return [
    process.execPath,
    "-e",
    `require("fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n]]))))`,
  ];
}
