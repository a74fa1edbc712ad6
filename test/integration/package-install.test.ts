// The package as a user installs it (issue 18): `npm run pack`'s tarballs served by a static registry on loopback and
// installed with `npm i -g --registry` into a private prefix, so npm's own os/cpu selection picks the platform package.
// Shows what the tarball holds, the launcher binaries of every platform (Mach-O headers, linux-arm64 under qemu), and
// `run` going through the installed launcher, or through Node when the platform package is absent.

import test from "ava";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { fork, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { ANY_KEYS, startMoto } from "../helpers/moto.js";
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

/** the pids of the processes running `script` in `world` (by its XDG_RUNTIME_DIR), read from /proc */
function processesOf(world: World, script: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
        return argv.includes(script) && environ.includes(`XDG_RUNTIME_DIR=${world.env.XDG_RUNTIME_DIR}`);
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
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
    "dist/bundle/daemon/run-daemon.mjs",
    "dist/bundle/daemon/aws-sdk.mjs",
    "dist/daemon/main.js",
    "dist/daemon/client/index.js",
    "dist/daemon/session/stores/keychain-helper.js",
    "dist/daemon/ui/assets/app.js",
    "dist/shims/node/register.js",
    "dist/shims/node/register.cjs",
    "dist/shims/node/sync-worker.js",
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
      path === "dist/bundle/cli/inputs.json" ||
      /\.map$/.test(path),
  );
  t.deepEqual(dead, []);
  // no module of tsc's tree: what runs is the bundles (dist/bundle, and those scripts/build.mjs writes in place of the
  // files the package reaches by path), so each relative import of a shipped script names a shipped file
  const scripts = files.filter((path) => path.startsWith("dist/") && /\.(js|mjs|cjs)$/.test(path));
  t.deepEqual(scripts.filter((path) => !path.startsWith("dist/bundle/")).sort(), [
    "dist/daemon/client/index.js",
    "dist/daemon/main.js",
    "dist/daemon/session/stores/keychain-helper.js",
    "dist/daemon/ui/assets/app.js",
    "dist/shims/node/fetch-after-start.js",
    "dist/shims/node/follow-rotations.js",
    "dist/shims/node/register.cjs",
    "dist/shims/node/register.js",
    "dist/shims/node/socket-request.js",
    "dist/shims/node/sync-worker.js",
  ]);
  // main.js falls back to tsc's modules only where the daemon's bundle is missing (a checkout built by tsc alone)
  const fallbacks = new Set(["dist/daemon/run-daemon.js"]);
  for (const script of scripts) {
    const text = tarRead(tarball("devsecrets"), script).toString("utf8");
    for (const [, from, dynamic] of text.matchAll(
      /\bfrom\s*"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g,
    )) {
      const target = posix.normalize(posix.join(posix.dirname(script), (from ?? dynamic) as string));
      if (!fallbacks.has(target)) t.true(files.includes(target), `${script} imports ${target}, which is not shipped`);
    }
  }
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
  for (const name of [
    "chokidar",
    "dotenv-expand",
    "secretlint",
    "commander",
    "@aws-sdk/client-secrets-manager",
    "@aws-sdk/client-ssm",
  ])
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

test('the installed package\'s other entries load from its bundles: import "devsecrets", the keychain helper', async (t) => {
  const installedPackage = join(withLauncher, "lib", "node_modules", "devsecrets");
  // a program that depends on devsecrets: the package's "." export, through npm's node_modules layout
  const app = join(scratch, "client-app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(installedPackage, join(app, "node_modules", "devsecrets"));
  writeFileSync(
    join(app, "main.mjs"),
    [
      'import { DaemonClient, DevsecretsError, ERROR_CODES } from "devsecrets";',
      "const health = await new DaemonClient({ autostart: false }).health();",
      "console.log(JSON.stringify({ version: health.version, error: typeof DevsecretsError, codes: 'DS_USAGE' in ERROR_CODES }));",
    ].join("\n"),
  );
  const client = await runProcess(process.execPath, ["main.mjs"], { cwd: app, env: world.env });
  t.is(client.code, 0, client.stderr);
  t.deepEqual(JSON.parse(client.stdout), { version: VERSION, error: "function", codes: true });
  // the keychain helper the daemon forks: it loads @napi-rs/keyring from the installed tree and answers
  const helper = fork(join(installedPackage, "dist", "daemon", "session", "stores", "keychain-helper.js"), [], {
    env: world.env,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  helper.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const answer = await new Promise<unknown>((resolve) => {
    helper.once("message", resolve);
    helper.once("exit", (code) => resolve({ exited: code, stderr }));
    helper.send({ id: 1, op: "hygiene", account: "" });
  });
  helper.kill("SIGKILL");
  t.like(answer, { id: 1, ok: true });
});

test("aws-sm:// and aws-ssm:// from the install: the SDK is one bundled file, no SDK package is installed", async (t) => {
  const installedPackage = join(withLauncher, "lib", "node_modules", "devsecrets");
  const installedPackages = readdirSync(join(installedPackage, "node_modules"));
  t.deepEqual(
    installedPackages.filter((name) => ["@aws-sdk", "@smithy", "@aws-crypto", "@aws"].includes(name)),
    [],
  );
  t.true(existsSync(join(installedPackage, "dist", "bundle", "daemon", "aws-sdk.mjs")));
  t.true(existsSync(join(installedPackage, "dist", "bundle", "daemon", "aws-sdk.licenses.txt")));
  const moto = await startMoto();
  try {
    const config = { endpoint: moto.endpoint, region: "us-east-1", credentials: { ...ANY_KEYS } };
    const sm = new SecretsManagerClient(config);
    await sm.send(new CreateSecretCommand({ Name: "installed/plain", SecretString: "from-installed-moto" }));
    sm.destroy();
    const ssm = new SSMClient(config);
    await ssm.send(new PutParameterCommand({ Name: "/installed/p", Value: "param-value", Type: "SecureString" }));
    ssm.destroy();
    const aws = makeWorld();
    try {
      const project = aws.project({
        "devsecrets.env": "PLAIN=aws-sm://installed/plain\nPARAM=aws-ssm:///installed/p\n",
      });
      const bin = join(withLauncher, "bin", "devsecrets");
      const login = await runProcess(bin, ["login", "--store", "memory"], {
        cwd: project,
        env: { ...aws.env, ...moto.loginEnv() },
      });
      t.is(login.code, 0, login.stderr);
      const env = await runProcess(bin, ["env", "--format", "json"], { cwd: project, env: aws.env });
      t.is(env.code, 0, env.stderr);
      t.like(JSON.parse(env.stdout), { PLAIN: "from-installed-moto", PARAM: "param-value" });
    } finally {
      await disposeWorld(aws);
    }
  } finally {
    await moto.stop();
  }
});

test("the installed CommonJS preload with no daemon running: its worker starts the installed daemon", async (t) => {
  const cold = makeWorld();
  try {
    const project = cold.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" });
    const preload = join(withLauncher, "lib", "node_modules", "devsecrets", "dist", "shims", "node", "register.cjs");
    const result = await runProcess(
      process.execPath,
      ["-r", preload, "-e", 'console.log(process.env.KEY ? "KEY set" : "KEY missing")'],
      { cwd: project, env: cold.env, timeoutMs: 60_000 },
    );
    t.is(result.code, 0, result.stderr);
    t.is(result.stdout.trim(), "KEY set");
    // the daemon it started runs the installed package's entry (DESIGN: `node <daemon entry> --daemonize`)
    const entry = join(realpathSync(withLauncher), "lib", "node_modules", "devsecrets", "dist", "daemon", "main.js");
    t.is(processesOf(cold, entry).length, 1, `one daemon of ${entry} in the cold world`);
  } finally {
    await disposeWorld(cold);
  }
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
