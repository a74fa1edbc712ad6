// The manners a user expects of a CLI (issue 18): a closed pipe ends a command quietly, every spelling of the version,
// usage errors as DS_USAGE (exit 2, JSON with --json), durations with a unit, `shim path node --cjs`, --verbose and
// DEVSECRETS_LOG=debug without values, and --help naming docs that exist.

import test from "ava";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, REPO_ROOT, cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const LITERAL = "literal-value-that-must-not-be-logged";

/** runs the CLI with its stdout a pipe whose reading end is closed before the CLI starts: every write is EPIPE */
function withClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd, env: world.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

for (const args of [["ls"], ["sandbox", "kinds"], ["audit", "tail"], ["--help"], ["version"], ["env"]]) {
  test(`a closed stdout ends \`${args.join(" ")}\` quietly with exit 0 (EPIPE)`, async (t) => {
    const project = world.project({ "devsecrets.env": `A=${LITERAL}\nKEY=sandbox://stripe/secret-key\n` });
    // audit tail needs an entry to print: a resolve writes one
    await cli(world, ["env"], { cwd: project });
    const result = await withClosedStdout(args, project);
    t.is(result.stderr, "");
    t.is(result.code, 0);
  });
}

test("-v, -V, --version and version print the package's version", async (t) => {
  for (const spelling of ["-v", "-V", "--version", "version"]) {
    const result = await cli(world, [spelling]);
    t.is(result.code, 0, `${spelling}: ${result.stderr}`);
    t.is(result.stdout, `${VERSION}\n`, spelling);
  }
  const json = await cli(world, ["version", "--json"]);
  t.deepEqual(JSON.parse(json.stdout), { version: VERSION, node: process.versions.node });
});

test("a usage error is DS_USAGE with exit 2, and {error} on stdout with --json", async (t) => {
  const json = await cli(world, ["get", "--json"]);
  t.is(json.code, 2);
  t.deepEqual(JSON.parse(json.stdout), {
    error: {
      code: "DS_USAGE",
      message: "missing required argument 'name'",
      hint: "run `devsecrets get --help` for its usage and an example",
    },
  });
  const text = await cli(world, ["shim", "path", "node", "--bogus"]);
  t.is(text.code, 2);
  t.is(text.stdout, "");
  t.is(
    text.stderr,
    "devsecrets: error DS_USAGE: unknown option '--bogus'\ndevsecrets: hint: run `devsecrets shim path --help` for its usage and an example\n",
  );
  const command = await cli(world, ["frobnicate", "--json"]);
  t.is(command.code, 2);
  t.is((JSON.parse(command.stdout) as { error: { code: string } }).error.code, "DS_USAGE");
});

test("a duration needs a unit, and its bounds are a usage error about the flag the user typed", async (t) => {
  const noUnit = await cli(world, ["login", "--ttl", "5", "--json"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
  t.is(noUnit.code, 2);
  const error = (JSON.parse(noUnit.stdout) as { error: { code: string; message: string; hint: string } }).error;
  t.is(error.code, "DS_USAGE");
  t.is(error.message, '--ttl "5" has no unit');
  t.regex(error.hint, /5s, 5m, 8h/);
  const zero = await cli(world, ["login", "--ttl", "0s"], { env: { DEVSECRETS_NO_AUTOSTART: "1" } });
  t.is(zero.code, 2);
  t.regex(zero.stderr, /DS_USAGE: --ttl "0s" is out of range/);
  t.notRegex(zero.stderr, /DS_BAD_REQUEST|protocol\.md/);
  const variable = await cli(world, ["login"], { env: { DEVSECRETS_NO_AUTOSTART: "1", DEVSECRETS_IDLE: "90" } });
  t.is(variable.code, 2);
  t.regex(variable.stderr, /DS_USAGE: DEVSECRETS_IDLE "90" has no unit/);
});

test("shim path node --cjs is the preload `node -r` loads; the ESM one stays the default", async (t) => {
  const project = world.project({ "devsecrets.env": "GREETING=from-the-daemon\n" });
  const cjs = (await cli(world, ["shim", "path", "node", "--cjs"])).stdout.trim();
  t.true(cjs.endsWith("register.cjs") && existsSync(cjs), cjs);
  t.true((await cli(world, ["shim", "path", "node"])).stdout.trim().endsWith("register.js"));
  const child = await runProcess(process.execPath, ["-r", cjs, "-e", "console.log(process.env.GREETING)"], {
    cwd: project,
    env: world.env,
  });
  t.is(child.stdout, "from-the-daemon\n", child.stderr);
  t.is((await cli(world, ["shim", "path", "go", "--cjs"])).code, 2);
});

test("--verbose and DEVSECRETS_LOG=debug write the client's steps, never a value; off by default", async (t) => {
  const project = world.project({ "devsecrets.env": `SECRET=${LITERAL}\n` });
  const verbose = await cli(world, ["get", "SECRET", "--verbose"], { cwd: project });
  t.is(verbose.stdout, LITERAL);
  t.regex(verbose.stderr, /^devsecrets: debug: devsecrets \S+ on Node \S+: devsecrets get$/m);
  t.regex(verbose.stderr, /^devsecrets: debug: POST \/v1\/resolve on \S+daemon\.sock: 200 in [\d.]+ ms/m);
  t.false(verbose.stderr.includes(LITERAL));
  const logged = await cli(world, ["run", "--", "sh", "-c", "true"], {
    cwd: project,
    env: { DEVSECRETS_LOG: "debug", DEVSECRETS_NATIVE: "0" },
  });
  t.regex(logged.stderr, /^devsecrets: debug: run sh: 1 variables \(SECRET\)$/m);
  t.false(logged.stderr.includes(LITERAL));
  const quiet = await cli(world, ["get", "SECRET"], { cwd: project });
  t.false(quiet.stderr.includes("debug"));
  const bad = await cli(world, ["ls"], { cwd: project, env: { DEVSECRETS_LOG: "loud" } });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /DS_USAGE: DEVSECRETS_LOG=loud/);
});

test("--help names docs by absolute paths that exist, and no example folder", async (t) => {
  const help = await cli(world, ["--help"]);
  t.is(help.code, 0);
  const docs =
    help.stdout
      .split("Docs:\n")[1]
      ?.trim()
      .split("\n")
      .map((line) => line.trim()) ?? [];
  t.true(docs.length >= 3, help.stdout);
  for (const doc of docs) t.true(doc.startsWith("/") && existsSync(doc), doc);
  t.false(help.stdout.includes("examples/"));
});
