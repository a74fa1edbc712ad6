// The package as a user installs it (issue 18): `npm run pack`'s tarballs served by a static registry on loopback and
// installed with `npm i -g --registry` into a private prefix, so npm's own os/cpu selection picks the platform package.
// Shows what the tarball holds, the launcher binaries of every platform (Mach-O headers, linux-arm64 under qemu), and
// `run` going through the installed launcher, or through Node when the platform package is absent.

import test from "ava";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { packInstalledDependencies, startStaticRegistry, type StaticRegistry } from "../helpers/static-registry.js";

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"] as const;
const HERE = `${process.platform === "darwin" ? "darwin" : "linux"}-${process.arch}`;

const scratch = mkdtempSync(join(tmpdir(), "ds-package-"));
const packDir = join(scratch, "pack");
const withLauncher = join(scratch, "prefix");
const withoutLauncher = join(scratch, "prefix-node-only");
const withTwoLaunchers = join(scratch, "prefix-two-launchers");
let registry: StaticRegistry | undefined;
let world: World;

/**
 * npm with nothing of the caller's npm settings, its own cache, and no way out but the loopback registry; spawned
 * asynchronously, since the registry answers from this very process
 */
function npm(args: string[], url: string) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(scratch, "npm-home"),
    npm_config_cache: join(scratch, "npm-cache"),
    npm_config_registry: url,
    npm_config_update_notifier: "false",
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
  return runProcess("npm", args, { env, timeoutMs: 10 * 60_000 });
}

function tarList(tarball: string): string[] {
  const listed = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  return listed.stdout
    .split("\n")
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ""));
}

function tarRead(tarball: string, path: string): Buffer {
  const read = spawnSync("tar", ["-xzOf", tarball, `package/${path}`], { maxBuffer: 64 * 1024 * 1024 });
  if (read.status !== 0) throw new Error(`${path} is not in ${tarball}`);
  return read.stdout;
}

const tarball = (name: string) => join(packDir, `${name}-${VERSION}.tgz`);

test.before(async (t) => {
  t.timeout(20 * 60_000, "cross-compiling four launchers on a cold Go cache takes minutes");
  const packed = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "pack.mjs"), "--out", packDir], {
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  if (packed.status !== 0) throw new Error(`scripts/pack.mjs failed: ${packed.stderr}`);
  const dependencies = packInstalledDependencies(REPO_ROOT, join(scratch, "dependencies"));
  const ours = [tarball("devsecrets"), ...PLATFORMS.map((platform) => tarball(`devsecrets-run-${platform}`))];
  registry = await startStaticRegistry([...ours, ...dependencies]);
  const installed = await npm(["install", "--global", "--prefix", withLauncher, `devsecrets@${VERSION}`], registry.url);
  if (installed.code !== 0)
    throw new Error(
      `npm install failed (${installed.code ?? installed.signal}): ${installed.stderr}${installed.stdout}`,
    );
  // the same install with a foreign platform package beside ours, as `npm i --force` leaves it
  cpSync(withLauncher, withTwoLaunchers, { recursive: true, verbatimSymlinks: true });
  const foreign = join(withTwoLaunchers, "lib", "node_modules", "devsecrets", "node_modules", "@devsecrets", "run-aaa");
  spawnSync("mkdir", ["-p", foreign]);
  spawnSync("tar", [
    "-xzf",
    // a darwin launcher cannot start on Linux, whatever binfmt handlers the machine has
    tarball("devsecrets-run-darwin-x64"),
    "-C",
    foreign,
    "--strip-components=1",
  ]);
  // the same install without the platform package, as on a machine none is built for
  cpSync(withLauncher, withoutLauncher, { recursive: true, verbatimSymlinks: true });
  rmSync(join(withoutLauncher, "lib", "node_modules", "devsecrets", "node_modules", "@devsecrets"), {
    recursive: true,
    force: true,
  });
  world = makeWorld();
  // the launcher hands a run with no daemon to Node, which starts one: started here, so each test shows its own path
  const started = await runProcess(join(withLauncher, "bin", "devsecrets"), ["status"], { env: world.env });
  if (started.code !== 0) throw new Error(`the installed CLI could not start its daemon: ${started.stderr}`);
});

test.after.always(async () => {
  if (world) await disposeWorld(world);
  await registry?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds what runs, the public client's types, LICENSE and CHANGELOG; no tests, no dead bundles", (t) => {
  const files = tarList(tarball("devsecrets"));
  for (const needed of [
    "LICENSE",
    "README.md",
    "CHANGELOG.md",
    "package.json",
    "bin/devsecrets",
    "bin/devsecrets.js",
    "dist/bundle/cli/main.mjs",
    "dist/bundle/cli/run-fast.cjs",
    "dist/bundle/cli/inputs.json",
    "dist/daemon/main.js",
    "dist/daemon/client/index.js",
    "dist/shims/node/register.js",
    "dist/shims/node/register.cjs",
    "shims/go/go.mod",
    "shims/python/devsecrets/__init__.py",
  ])
    t.true(files.includes(needed), needed);
  const dead = files.filter(
    (path) =>
      /(^|\/)tests?\//.test(path) ||
      /_test\.go$/.test(path) ||
      /^shims\/go\/internal\//.test(path) ||
      /^dist\/(cli|native|bench|pack|test)\//.test(path) ||
      /\.map$/.test(path),
  );
  t.deepEqual(dead, []);
  // the .d.ts files are exactly those the public entry's types reach
  const reached = new Set<string>();
  const pending = ["dist/daemon/client/index.d.ts"];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    if (!files.includes(file)) {
      t.fail(`${file} is reached from the public client's types: add it to package.json "files"`);
      continue;
    }
    const text = tarRead(tarball("devsecrets"), file).toString("utf8");
    for (const [, from] of text.matchAll(/from "(\.[^"]+)"|import\("(\.[^"]+)"\)/g))
      if (from) pending.push(posix.normalize(posix.join(posix.dirname(file), from.replace(/\.js$/, ".d.ts"))));
  }
  // beyond what the entry reaches, only the wire's own types (daemon/protocol, public by nature) may ship
  t.deepEqual(
    files.filter((path) => path.endsWith(".d.ts") && !reached.has(path) && !path.startsWith("dist/daemon/protocol/")),
    [],
  );
  const manifest = JSON.parse(tarRead(tarball("devsecrets"), "package.json").toString("utf8")) as Record<
    string,
    unknown
  >;
  t.is(manifest.license, "MIT");
  t.regex((manifest.repository as { url: string }).url, /github\.com\/devsecrets\/devsecrets/);
  t.regex((manifest.bugs as { url: string }).url, /\/issues$/);
  t.truthy(manifest.homepage);
  t.deepEqual(manifest.os, ["linux", "darwin"]);
  t.true(Array.isArray(manifest.files));
  t.deepEqual(
    manifest.optionalDependencies,
    Object.fromEntries(PLATFORMS.map((platform) => [`@devsecrets/run-${platform}`, VERSION])),
  );
  t.is(manifest.devDependencies, undefined);
  t.is(manifest.scripts, undefined);
  for (const name of ["chokidar", "dotenv-expand", "secretlint", "commander"])
    t.false(name in (manifest.dependencies as object), `${name} is not a dependency`);
  // the repository itself never names the platform packages
  t.false(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8").includes("@devsecrets/run-"));
  t.false(readFileSync(join(REPO_ROOT, "package.json"), "utf8").includes("@devsecrets/run-"));
});

test("each platform package: its os and cpu, and a launcher built for them (Mach-O, ELF, arm64 under qemu)", (t) => {
  const machO = { x64: 0x01000007, arm64: 0x0100000c };
  const elf = { x64: 0x3e, arm64: 0xb7 };
  for (const platform of PLATFORMS) {
    const [os, cpu] = platform.split("-") as ["linux" | "darwin", "x64" | "arm64"];
    const file = tarball(`devsecrets-run-${platform}`);
    const manifest = JSON.parse(tarRead(file, "package.json").toString("utf8")) as Record<string, unknown>;
    t.is(manifest.name, `@devsecrets/run-${platform}`);
    t.is(manifest.version, VERSION);
    t.deepEqual([manifest.os, manifest.cpu], [[os], [cpu]]);
    t.deepEqual(tarList(file).sort(), [
      "LICENSE",
      "README.md",
      "bin/devsecrets-run",
      "bin/devsecrets-run.version",
      "package.json",
    ]);
    t.is(tarRead(file, "bin/devsecrets-run.version").toString("utf8"), `${VERSION}\n`);
    const binary = tarRead(file, "bin/devsecrets-run");
    if (os === "darwin") {
      t.is(binary.readUInt32LE(0), 0xfeedfacf, `${platform}: a 64-bit Mach-O`);
      t.is(binary.readUInt32LE(4), machO[cpu], `${platform}: its cputype`);
    } else {
      t.is(binary.subarray(0, 4).toString("latin1"), "\x7fELF", `${platform}: an ELF`);
      t.is(binary.readUInt16LE(18), elf[cpu], `${platform}: its e_machine`);
    }
  }
  // linux-arm64 answers its version under qemu-user-static (apt-get install qemu-user-static)
  const extracted = mkdtempSync(join(scratch, "arm64-"));
  spawnSync("tar", ["-xzf", tarball("devsecrets-run-linux-arm64"), "-C", extracted]);
  const qemu = spawnSync("qemu-aarch64-static", [join(extracted, "package", "bin", "devsecrets-run"), "--version"], {
    encoding: "utf8",
  });
  if (qemu.error) t.fail(`qemu-aarch64-static is needed (apt-get install qemu-user-static): ${qemu.error.message}`);
  t.is(qemu.stdout, `${VERSION}\n`);
});

test("npm i -g from the loopback registry installs only this machine's launcher, and run goes through it", async (t) => {
  const scoped = join(withLauncher, "lib", "node_modules", "devsecrets", "node_modules", "@devsecrets");
  for (const platform of PLATFORMS) t.is(existsSync(join(scoped, `run-${platform}`)), platform === HERE, platform);
  const project = world.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" });
  // a served secret makes the runner mask, so it stays the child's parent: /proc names what that parent is
  const result = await runProcess(
    join(withLauncher, "bin", "devsecrets"),
    ["run", "--", "sh", "-c", 'readlink /proc/$PPID/exe; test -n "$KEY"'],
    { cwd: project, env: world.env },
  );
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout.trim(), realpathSync(join(scoped, `run-${HERE}`, "bin", "devsecrets-run")));
});

test("with a foreign platform package beside ours (npm i --force), run still takes the one that runs here", async (t) => {
  const project = world.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" });
  const scoped = join(withTwoLaunchers, "lib", "node_modules", "devsecrets", "node_modules", "@devsecrets");
  const result = await runProcess(
    join(withTwoLaunchers, "bin", "devsecrets"),
    ["run", "--", "sh", "-c", 'readlink /proc/$PPID/exe; test -n "$KEY"'],
    { cwd: project, env: world.env },
  );
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout.trim(), realpathSync(join(scoped, `run-${HERE}`, "bin", "devsecrets-run")));
});

test("without the platform package, run takes the Node path with the same result", async (t) => {
  const project = world.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" });
  const result = await runProcess(
    join(withoutLauncher, "bin", "devsecrets"),
    ["run", "--", "sh", "-c", 'readlink /proc/$PPID/exe; test -n "$KEY"'],
    { cwd: project, env: world.env },
  );
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout.trim(), realpathSync(process.execPath));
});

test("the installed CLI: versions, the launcher's hand-over to Node, docs and shims that exist", async (t) => {
  const bin = join(withLauncher, "bin", "devsecrets");
  const cli = (args: string[]) => runProcess(bin, args, { cwd: world.root, env: world.env });
  t.is((await cli(["-v"])).stdout, `${VERSION}\n`);
  // the launcher does not do --help: it hands the line to bin/devsecrets.js of the package it sits in
  const help = await cli(["run", "--help"]);
  t.is(help.code, 0, help.stderr);
  t.regex(help.stdout, /Usage: devsecrets run/);
  const top = await cli(["--help"]);
  const docs = top.stdout.split("Docs:\n")[1]?.trim().split("\n") ?? [];
  t.true(docs.length > 0);
  for (const doc of docs) t.true(existsSync(doc.trim()), doc);
  for (const language of ["node", "python", "go"]) {
    const path = (await cli(["shim", "path", language])).stdout.trim();
    t.true(path.startsWith(join(withLauncher, "lib")) && existsSync(path), path);
  }
  t.true(existsSync((await cli(["shim", "path", "node", "--cjs"])).stdout.trim()));
  const size = spawnSync("du", ["-sk", join(withLauncher, "lib", "node_modules")], { encoding: "utf8" });
  t.log(`global install: ${size.stdout.split("\t")[0]} KB (du -sk lib/node_modules, the platform package included)`);
});
