// Issue 18: `devsecrets run` from the installed package (npm i -g of `npm run pack`'s tarballs, the launcher from the
// platform package) against one bare `node -e 0` and against `run` from the clone, in one interleaved run; and the
// install's size. Target: the installed run adds at most 0.4x one bare `node -e 0`.
// Rule: the install comes from a static registry on loopback (test/helpers/static-registry.ts), as the e2e test does.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, REPO_ROOT, makeBenchWorld, projectFiles } from "./world.js";
import { differences, interleave, median, roundsFromEnv, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";
import { packInstalledDependencies, startStaticRegistry } from "../test/helpers/static-registry.js";

const BENCH = "installed-run";
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"];

function sh(command: string, args: string[], env?: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
}

/** the installed package folders reached only through the dependencies `picked` names (npm's nested layout) */
function onlyReachedFrom(packageDir: string, picked: (name: string) => boolean): string[] {
  const modules = join(packageDir, "node_modules");
  const dependenciesOf = (dir: string): string[] => {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      return Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
    } catch {
      return [];
    }
  };
  const closure = (names: string[]): Set<string> => {
    const seen = new Set<string>();
    const pending = [...names];
    while (pending.length > 0) {
      const name = pending.pop() as string;
      if (seen.has(name) || !existsSync(join(modules, name))) continue;
      seen.add(name);
      pending.push(...dependenciesOf(join(modules, name)));
    }
    return seen;
  };
  const top = dependenciesOf(packageDir);
  const rest = closure(top.filter((name) => !picked(name)));
  return [...closure(top.filter(picked))].filter((name) => !rest.has(name)).map((name) => join(modules, name));
}

const kilobytes = (path: string) => Number(spawnSync("du", ["-sk", path], { encoding: "utf8" }).stdout.split("\t")[0]);

export async function run(): Promise<void> {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const scratch = mkdtempSync(join(tmpdir(), "ds-bench-install-"));
  const world = makeBenchWorld();
  const packDir = join(scratch, "pack");
  try {
    if (spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "pack.mjs"), "--out", packDir]).status !== 0)
      throw new Error("scripts/pack.mjs failed");
    const ours = [`devsecrets-${version}.tgz`, ...PLATFORMS.map((p) => `devsecrets-run-${p}-${version}.tgz`)];
    const registry = await startStaticRegistry([
      ...ours.map((file) => join(packDir, file)),
      ...packInstalledDependencies(REPO_ROOT, join(scratch, "dependencies")),
    ]);
    const prefix = join(scratch, "prefix");
    try {
      const code = await sh("npm", ["install", "--global", "--prefix", prefix, `devsecrets@${version}`], {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: join(scratch, "home"),
        npm_config_cache: join(scratch, "cache"),
        npm_config_registry: registry.url,
        npm_config_audit: "false",
        npm_config_fund: "false",
        npm_config_update_notifier: "false",
      });
      if (code !== 0) throw new Error(`npm install exited ${code}`);
    } finally {
      await registry.close();
    }
    const installed = join(prefix, "bin", "devsecrets");
    const here = `${process.platform}-${process.arch}`;
    const launcherPackage = join(
      prefix,
      "lib",
      "node_modules",
      "devsecrets",
      "node_modules",
      "@devsecrets",
      `run-${here}`,
    );
    if (!existsSync(launcherPackage)) throw new Error(`npm installed no @devsecrets/run-${here}`);

    await world.startDaemon();
    const node = process.execPath;
    const cwd = world.project("p10", projectFiles(10));
    const env = world.env;
    const variants: Variant[] = [
      { name: "node -e 0", command: node, args: ["-e", "0"], cwd, env },
      { name: "node app.js", command: node, args: ["app.js"], cwd, env },
      { name: "installed run", command: installed, args: ["run", "--", node, "app.js"], cwd, env },
      { name: "clone run", command: CLI, args: ["run", "--", node, "app.js"], cwd, env },
    ];
    const rounds = roundsFromEnv(20);
    const times = await interleave(variants, rounds, 3);
    const get = (name: string) => times.get(name) as number[];
    const bare = median(get("node -e 0"));
    const app = get("node app.js");
    const installedAdds = median(differences(get("installed run"), app));
    const cloneAdds = median(differences(get("clone run"), app));
    printTable(
      BENCH,
      `installed vs clone run, Node ${process.versions.node}: ${rounds} interleaved rounds, 10 variables, median ms`,
      ["command", "median ms", "added ms", "added / node -e 0"],
      [
        ["node -e 0", bare, "", ""],
        ["node app.js", median(app), "", ""],
        [
          "devsecrets run (npm i -g, platform launcher)",
          median(get("installed run")),
          installedAdds,
          installedAdds / bare,
        ],
        ["devsecrets run (clone, dist/native)", median(get("clone run")), cloneAdds, cloneAdds / bare],
      ],
    );
    checkAtMost(BENCH, "installed run adds / node -e 0", installedAdds / bare, 0.4);
    note(BENCH, `installed run adds / clone run adds = ${(installedAdds / cloneAdds).toFixed(2)}`);
    const all = kilobytes(join(prefix, "lib", "node_modules"));
    const launcher = kilobytes(launcherPackage);
    // the AWS SDK clients: the bundle scripts/build.mjs makes of them (and its licences), plus any SDK package an
    // install still carries (none since they are bundled; the tree was 22 MB when they were dependencies)
    const installedPackage = join(prefix, "lib", "node_modules", "devsecrets");
    const aws = [
      ...["aws-sdk.mjs", "aws-sdk.licenses.txt"].map((file) =>
        join(installedPackage, "dist", "bundle", "daemon", file),
      ),
      ...onlyReachedFrom(installedPackage, (name) => name.startsWith("@aws-sdk/client-")),
    ].filter((path) => existsSync(path));
    const awsKb = aws.reduce((sum, path) => sum + kilobytes(path), 0);
    const core = all - launcher - awsKb;
    printTable(
      BENCH,
      "global install of the tarball (du -sk)",
      ["what", "KB"],
      [
        ["lib/node_modules, all", all],
        [`@devsecrets/run-${here} (the launcher)`, launcher],
        [`the AWS SDK clients: their bundle, and what only they pull in (${aws.length} files or packages)`, awsKb],
        ["devsecrets and the rest of its dependencies (the core)", core],
      ],
    );
    // DESIGN (Node and packaging): core at most 20 MB; the AWS SDK clients on their own line, at most 12 MB more
    checkAtMost(BENCH, "global install, core / 20 MB", core / (20 * 1024), 1);
    if (aws.length > 0) checkAtMost(BENCH, "global install, AWS SDK clients / 12 MB", awsKb / (12 * 1024), 1);
  } finally {
    world.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  }
}
