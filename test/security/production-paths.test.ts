// Production declared by the user, not only the project (issue 16, item 6): the production guard held only when the
// project file marked a path as prod (devsecrets.prod.env, ?env=prod). A project that writes a production path in
// its plain devsecrets.env got the real value in a dev session.
// Rule: a real OpenBao; the user config's `production` patterns answer a dev session with a sandbox value.

import test from "ava";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { startVaultWorld, type VaultWorld } from "../helpers/vault-world.js";

let vw: VaultWorld;
let world: World;
const PROD_VALUE = "the-real-production-key-4f1c";
const DEV_VALUE = "a-dev-value-9a2e";

test.before(async () => {
  vw = await startVaultWorld();
  await vw.bao.api("POST", "secret/data/prod/payments", { data: { key: PROD_VALUE } });
  await vw.bao.api("POST", "secret/data/dev/payments", { data: { key: DEV_VALUE } });
  world = makeWorld();
});

test.after.always(async () => {
  await world?.cleanup();
  await vw?.stop();
});

function userConfig(production: string[] | undefined): void {
  const dir = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(production ? { production } : {}));
}

async function envOf(project: string): Promise<{ values: Record<string, string>; stderr: string }> {
  const r = await cli(world, ["env", "--format", "json"], { cwd: project });
  if (r.code !== 0) throw new Error(`env failed (${r.code}): ${r.stderr}`);
  return { values: JSON.parse(r.stdout) as Record<string, string>, stderr: r.stderr };
}

test.serial(
  "a path the user config declares production is a sandbox value in a dev session, whatever the project marks",
  async (t) => {
    const project = world.project({
      "devsecrets.env":
        "PAYMENTS_KEY=vault://secret/prod/payments#key\nMARKED_DEV=vault://secret/prod/payments?env=dev#key\nDEV_KEY=vault://secret/dev/payments#key\n",
    });
    const login = await cli(world, ["login", "--store", "memory"], {
      cwd: project,
      env: { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: vw.userToken },
    });
    t.is(login.code, 0, login.stderr);
    // control: without the user's pattern, the project's unmarked path is fetched for real (the old behaviour)
    userConfig(undefined);
    t.is((await envOf(project)).values.PAYMENTS_KEY, PROD_VALUE);
    // with it, both the unmarked and the ?env=dev reference are stand-ins, said on stderr; the dev path still is real
    userConfig(["vault://secret/prod/**"]);
    const { values, stderr } = await envOf(project);
    t.not(values.PAYMENTS_KEY, PROD_VALUE);
    t.not(values.MARKED_DEV, PROD_VALUE);
    t.truthy(values.PAYMENTS_KEY);
    t.is(values.DEV_KEY, DEV_VALUE);
    t.regex(
      stderr,
      /vault:\/\/secret\/prod\/payments#key is production by your user config \(vault:\/\/secret\/prod\/\*\*\), and this session is dev: answered by a sandbox value/,
    );
    t.false(stderr.includes(PROD_VALUE));
    await cli(world, ["logout"]);
  },
);

test.serial("a session logged in with --env prod fetches it", async (t) => {
  userConfig(["vault://secret/prod/**"]);
  const project = world.project({ "devsecrets.env": "PAYMENTS_KEY=vault://secret/prod/payments#key\n" });
  const login = await cli(world, ["login", "--store", "memory", "--env", "prod"], {
    cwd: project,
    env: { VAULT_ADDR: vw.bao.address, VAULT_TOKEN: vw.userToken },
  });
  t.is(login.code, 0, login.stderr);
  const r = await cli(world, ["env", "--format", "json", "--env", "prod"], { cwd: project });
  t.is(r.code, 0, r.stderr);
  t.is((JSON.parse(r.stdout) as Record<string, string>).PAYMENTS_KEY, PROD_VALUE);
  await cli(world, ["logout"]);
});
