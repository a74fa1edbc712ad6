// A consumer project that installs the packed package (`npm pack`, then `npm install <tarball>`), as a user does: both
// preloads under --throw-deprecation on Node 22, 24 and 26 print the app's output and nothing else.
// Rule: the package's own files only (nothing of the checkout on the path: no symlink, no NODE_PATH); its own CLI starts
// and stops its daemon in a private world. npm resolves through a static registry on 127.0.0.1 (our tarball and every
// production dependency packed from this checkout) with its own cache: tests send nothing beyond loopback.

import test from "ava";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { packInstalledDependencies, startStaticRegistry, type StaticRegistry } from "../helpers/static-registry.js";
import { NODE_VERSIONS, requireNode } from "../helpers/node-versions.js";

const APP_MJS = "setTimeout(() => process.stdout.write(`app: APP_NAME=${process.env.APP_NAME}\\n`), 400);\n";
const INSTALL_MS = 5 * 60_000;

let world: World;
let packDir: string;
let consumer: string;
let consumerCli: string;
let registry: StaticRegistry | undefined;

test.before(async (t) => {
  t.timeout(INSTALL_MS + 60_000);
  packDir = mkdtempSync(join(tmpdir(), "ds-pack-"));
  const packed = await runProcess("npm", ["pack", "--silent", "--pack-destination", packDir], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  if (packed.code !== 0) throw new Error(`npm pack failed (${packed.code}): ${packed.stderr}`);
  const tarball = readdirSync(packDir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack left no tarball in ${packDir}: ${packed.stdout}`);

  world = makeWorld();
  consumer = world.project(
    {
      "package.json": `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true })}\n`,
      "devsecrets.env": "APP_NAME=hello\nTOKEN=sandbox://github/pat\n",
      "app.mjs": APP_MJS,
      "app.cjs": APP_MJS,
    },
    "consumer",
  );
  // npm with none of the caller's settings, its own cache, and no way out but the loopback registry; spawned
  // asynchronously, since the registry answers from this very process
  registry = await startStaticRegistry([
    join(packDir, tarball),
    ...packInstalledDependencies(REPO_ROOT, join(packDir, "dependencies")),
  ]);
  const installed = await runProcess(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", `devsecrets@file:${join(packDir, tarball)}`],
    {
      cwd: consumer,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: join(packDir, "npm-home"),
        npm_config_cache: join(packDir, "npm-cache"),
        npm_config_registry: registry.url,
        npm_config_update_notifier: "false",
      },
      timeoutMs: INSTALL_MS,
    },
  );
  if (installed.code !== 0)
    throw new Error(`npm install of the packed package failed (${installed.code}): ${installed.stderr}`);
  consumerCli = join(consumer, "node_modules", ".bin", "devsecrets");
  const started = await runProcess(consumerCli, ["daemon", "start"], {
    cwd: consumer,
    env: world.env,
    timeoutMs: 30_000,
  });
  if (started.code !== 0) throw new Error(`the installed devsecrets daemon start failed: ${started.stderr}`);
});

test.after.always(async () => {
  if (consumerCli) {
    await runProcess(consumerCli, ["daemon", "stop"], {
      cwd: consumer,
      env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
      timeoutMs: 30_000,
    });
  }
  await world?.cleanup();
  await registry?.close();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

for (const version of NODE_VERSIONS) {
  for (const [preload, app] of [
    ["--import", "app.mjs"],
    ["-r", "app.cjs"],
  ] as const) {
    test(`installed package, Node ${version}, ${preload} devsecrets/register --throw-deprecation: the app's output only`, async (t) => {
      const node = requireNode(version);
      const result = await runProcess(node, ["--throw-deprecation", preload, "devsecrets/register", app], {
        cwd: consumer,
        env: { ...world.env, DEVSECRETS_NO_AUTOSTART: "1" },
        timeoutMs: 30_000,
      });
      t.is(result.stderr, "");
      t.is(result.stdout, "app: APP_NAME=hello\n");
      t.is(result.code, 0);
    });
  }
}
