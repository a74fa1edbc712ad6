// An upgrade as a user makes it (issue 17): the packed package at version N installed and its daemon running, then
// N+1 installed over it; the first command of N+1 restarts the old daemon and succeeds, saying so in one stderr line.
// Rule: the package's own files only; N+1 is this checkout's tarball with its version raised (package.json and the
// PACKAGE_VERSION constant in every built file), repacked with tar. npm reaches the registry through its own client.

import test from "ava";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";

const INSTALL_MS = 5 * 60_000;

function nextVersion(version: string): string {
  const [major, minor, patch] = version.split(".").map((part) => Number.parseInt(part, 10));
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}

/** every built file that names the version: package.json, and the constant tsc and esbuild wrote */
function raiseVersion(dir: string, from: string, to: string): number {
  let changed = 0;
  const constant = new RegExp(`(PACKAGE_VERSION\\d*\\s*=\\s*)"${from.replace(/\./g, "\\.")}"`, "g");
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const file = join(path, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(js|mjs|cjs)$/.test(entry)) {
        const text = readFileSync(file, "utf8");
        const next = text.replace(constant, `$1"${to}"`);
        if (next !== text) {
          writeFileSync(file, next);
          changed++;
        }
      }
    }
  };
  walk(join(dir, "dist"));
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  manifest.version = to;
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return changed;
}

async function npmInstall(consumer: string, tarball: string): Promise<void> {
  const installed = await runProcess(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball],
    { cwd: consumer, env: { ...process.env }, timeoutMs: INSTALL_MS },
  );
  if (installed.code !== 0) throw new Error(`npm install ${tarball} failed (${installed.code}): ${installed.stderr}`);
}

let world: World | undefined;
let packDir: string | undefined;

test.after.always(async () => {
  await world?.cleanup();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

test("N running, N+1 installed over it: the first command succeeds, restarting the old daemon with one stderr line", async (t) => {
  t.timeout(3 * INSTALL_MS);
  packDir = mkdtempSync(join(tmpdir(), "ds-upgrade-"));
  const packed = await runProcess("npm", ["pack", "--silent", "--pack-destination", packDir], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  t.is(packed.code, 0, packed.stderr);
  const tarballN = join(packDir, readdirSync(packDir).find((name) => name.endsWith(".tgz")) as string);
  const next = nextVersion(PACKAGE_VERSION);
  const unpacked = join(packDir, "next");
  const extracted = await runProcess("sh", ["-c", `mkdir -p "${unpacked}" && tar -xzf "${tarballN}" -C "${unpacked}"`]);
  t.is(extracted.code, 0, extracted.stderr);
  t.true(raiseVersion(join(unpacked, "package"), PACKAGE_VERSION, next) >= 4, "the CLI, the daemon and the shims");
  const tarballNext = join(packDir, `devsecrets-${next}.tgz`);
  const repacked = await runProcess("tar", ["-czf", tarballNext, "-C", unpacked, "package"]);
  t.is(repacked.code, 0, repacked.stderr);

  world = makeWorld();
  const consumer = world.project(
    {
      "package.json": `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true })}\n`,
      "devsecrets.env": "TOKEN=sandbox://github/pat\n",
    },
    "consumer",
  );
  const cli = join(consumer, "node_modules", ".bin", "devsecrets");
  const run = (args: string[]) => runProcess(cli, args, { cwd: consumer, env: world!.env, timeoutMs: 60_000 });

  await npmInstall(consumer, tarballN);
  const first = await run(["daemon", "start"]);
  t.is(first.code, 0, first.stderr);
  const before = JSON.parse((await run(["daemon", "status", "--json"])).stdout) as { pid: number; version: string };
  t.is(before.version, PACKAGE_VERSION);

  // the daemon of N keeps running from memory while N+1's files replace N's
  await npmInstall(consumer, tarballNext);
  // the landed client stopped the old daemon on this command and then printed DS_DAEMON_UNREACHABLE
  const status = await run(["daemon", "status", "--json"]);
  t.is(status.code, 0, status.stderr);
  const after = JSON.parse(status.stdout) as { pid: number; version: string };
  t.is(after.version, next);
  t.not(after.pid, before.pid);
  t.deepEqual(status.stderr.split("\n").filter(Boolean), [
    `devsecrets: restarted the daemon (${PACKAGE_VERSION} -> ${next}); wiped nothing; no session was logged in`,
  ]);
  const env = await run(["env", "--format", "json"]);
  t.is(env.code, 0, env.stderr);
  t.regex((JSON.parse(env.stdout) as { TOKEN: string }).TOKEN, /^ghp_/);
  t.is(env.stderr, "", "one restart only");
  t.is((await run(["daemon", "stop"])).code, 0);
});
