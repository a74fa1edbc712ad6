// Attacks of a cloned, hostile repository on a user who never trusted it (issue 16, items 2 and 4), and the trust
// that lets a project the user did trust get what it asks for. Rule: a real daemon in a world without
// DEVSECRETS_TRUST_ALL; every detector is shown to fire once the project is trusted, so no test passes by accident.

import test from "ava";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DaemonClient } from "../../daemon/client/client.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, CLI, makeWorld, REPO_ROOT, runProcess, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld({ trustAll: false });
});
test.after.always(() => disposeWorld(world));

function marks(t: { teardown(fn: () => void): void }): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), "ds-marks-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => join(dir, name);
}

test("the README quickstart runs as written with no trust step: vault:// gets a stand-in and a notice that says why", async (t) => {
  const hello = join(world.root, "hello");
  cpSync(join(REPO_ROOT, "examples", "hello"), hello, { recursive: true });
  const run = await cli(world, ["run", "--", process.execPath, "app.js"], { cwd: hello });
  t.is(run.code, 0, run.stderr);
  t.regex(run.stderr, /not trusted: its vault:\/\/ references are answered by sandbox values/);
  t.notRegex(run.stderr, /DS_PROJECT_UNTRUSTED|error/);
});

/** a hostile project: each dangerous name runs `touch` on a mark file if a shell, bash or node honours it */
function hostileProject(mark: (name: string) => string): string {
  writeFileSync(mark("bash-env.sh"), `touch ${mark("BASH_ENV")}\n`);
  writeFileSync(mark("evil.cjs"), `require("node:fs").writeFileSync(${JSON.stringify(mark("NODE_OPTIONS"))}, "")\n`);
  return world.project({
    "devsecrets.env": [
      "SAFE=kept",
      `PS1='$(touch ${mark("PS1")})> '`,
      `PROMPT_COMMAND='touch ${mark("PROMPT_COMMAND")}'`,
      `BASH_ENV=${mark("bash-env.sh")}`,
      `NODE_OPTIONS=--require ${mark("evil.cjs")}`,
      "LD_PRELOAD=/nonexistent/evil.so",
      "DEVSECRETS_SOCKET=/tmp/impostor.sock",
      "",
    ].join("\n"),
  });
}

const DANGEROUS = ["PS1", "PROMPT_COMMAND", "BASH_ENV", "NODE_OPTIONS", "LD_PRELOAD", "DEVSECRETS_SOCKET"];

/** `eval "$(devsecrets env --format sh)"` in an interactive bash, then a prompt, a bash script and a node */
async function evalInInteractiveBash(project: string) {
  const script = [
    `eval "$(${CLI} env --format sh)"`,
    "bash -c true",
    `${process.execPath} -e 0`,
    'printf "SAFE=%s LD=%s\\n" "$SAFE" "${LD_PRELOAD-unset}"',
    "exit",
    "",
  ].join("\n");
  const env: Record<string, string> = { ...world.env };
  return runProcess("bash", ["--norc", "--noprofile", "-i"], { cwd: project, env, input: script });
}

test("eval of `env --format sh` under an interactive bash: no dangerous name is exported, each named once on stderr", async (t) => {
  const mark = marks(t);
  const project = hostileProject(mark);
  const printed = await cli(world, ["env", "--format", "sh"], { cwd: project });
  t.is(printed.code, 0, printed.stderr);
  t.regex(printed.stdout, /SAFE='kept'/);
  for (const name of DANGEROUS) {
    t.false(printed.stdout.includes(`${name}=`), `${name} was exported`);
    t.is(printed.stderr.split(`${name} (devsecrets.env:`).length - 1, 1, `${name} named once: ${printed.stderr}`);
  }
  const bash = await evalInInteractiveBash(project);
  t.regex(bash.stdout, /SAFE=kept LD=unset/);
  for (const name of ["PS1", "PROMPT_COMMAND", "BASH_ENV", "NODE_OPTIONS"])
    t.false(existsSync(mark(name)), `${name} ran a command`);

  // the detectors fire once the user trusts the project (except DEVSECRETS_*, which no project sets)
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const trusted = await evalInInteractiveBash(project);
  for (const name of ["PS1", "PROMPT_COMMAND", "BASH_ENV", "NODE_OPTIONS"])
    t.true(existsSync(mark(name)), `${name} should run once trusted: ${trusted.stderr.slice(-400)}`);
  const again = await cli(world, ["env", "--format", "sh"], { cwd: project });
  t.false(again.stdout.includes("DEVSECRETS_SOCKET="), "a project never sets DEVSECRETS_*, trusted or not");
  t.regex(
    again.stderr,
    /DEVSECRETS_SOCKET \(devsecrets\.env:7\) withheld: a project never sets devsecrets' own settings/,
  );
});

test("run and the Node preload withhold NODE_OPTIONS of an untrusted project and say so", async (t) => {
  const mark = marks(t);
  const project = hostileProject(mark);
  const print = "console.log(JSON.stringify([process.env.NODE_OPTIONS ?? null, process.env.SAFE ?? null]))";
  const run = await cli(world, ["run", "--", process.execPath, "-e", print], { cwd: project });
  t.is(run.code, 0, run.stderr);
  t.is(run.stdout.trim(), '[null,"kept"]');
  t.regex(run.stderr, /NODE_OPTIONS \(devsecrets\.env:5\) withheld: the project is not trusted/);
  const register = pathToFileURL(join(REPO_ROOT, "dist", "shims", "node", "register.js")).href;
  const preload = await runProcess(process.execPath, ["--import", register, "-e", print], {
    cwd: project,
    env: world.env,
  });
  t.is(preload.stdout.trim(), '[null,"kept"]', preload.stderr);
  t.regex(preload.stderr, /NODE_OPTIONS \(devsecrets\.env:5\) withheld/);
  t.false(existsSync(mark("NODE_OPTIONS")));
});

/** a TCP server on loopback that counts connections and closes each at once */
async function capturingServer(t: { teardown(fn: () => void): void }): Promise<{ port: number; count(): number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, count: () => connections };
}

test("a hostile devsecrets.json postgres.adminUrl is never contacted from an untrusted project (DS_PROJECT_UNTRUSTED)", async (t) => {
  const server = await capturingServer(t);
  const project = world.project({
    "devsecrets.env": "ROLE=sandbox://postgres/role\nSTRIPE=sandbox://stripe/secret-key\n",
    "devsecrets.json": JSON.stringify({ postgres: { adminUrl: `postgres://admin@127.0.0.1:${server.port}/postgres` } }),
  });
  const env = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(env.code, 1);
  t.regex(
    env.stderr,
    /DS_PROJECT_UNTRUSTED: devsecrets\.env:1: sandbox:\/\/postgres\/role: the project at .* is not trusted/,
  );
  t.regex(env.stderr, /devsecrets\.json postgres\.adminUrl/, "the setting is named");
  const check = await cli(world, ["check", "--json"], { cwd: project });
  t.deepEqual(
    JSON.parse(check.stdout).problems.map((p: { code: string }) => p.code),
    ["DS_PROJECT_UNTRUSTED"],
  );
  t.is(server.count(), 0, "the project's admin server was contacted");
  // the detector: trusted, the daemon goes to the server the project names
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  await cli(world, ["env", "--format", "json"], { cwd: project });
  t.true(server.count() > 0, "once trusted, the configured server is used");
});

test("trust asks again when a credential reference or a dangerous name is added, not for literals; a stale digest is refused", async (t) => {
  const project = world.project({ "devsecrets.env": "A=1\nK=keychain://k\n" });
  const before = await cli(world, ["get", "K"], { cwd: project });
  t.regex(before.stderr, /DS_PROJECT_UNTRUSTED: devsecrets\.env:2: keychain:\/\/k: the project at .* is not trusted/);
  const client = new DaemonClient({ env: world.env });
  const shown = await client.trustShow({ cwd: project });
  t.deepEqual(
    shown.items.map((i) => `${i.name}=${i.text}`),
    ["K=keychain://k"],
  );
  writeFileSync(join(project, "devsecrets.env"), "A=1\nK=keychain://k\nLD_PRELOAD=/x.so\n");
  const stale = await t.throwsAsync(client.trust({ cwd: project, digest: shown.digest }));
  t.is((stale as { code?: string }).code, "DS_TRUST_STALE");
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  writeFileSync(
    join(project, "devsecrets.env"),
    "A=2\nB=sandbox://random/password\nK=keychain://k\nLD_PRELOAD=/x.so\n",
  );
  const literal = await cli(world, ["get", "K"], { cwd: project });
  t.regex(literal.stderr, /DS_SESSION_NONE/, "trusted still: the keychain asks for a login, not for trust");
  writeFileSync(join(project, "devsecrets.env"), "A=2\nK=keychain://k\nLD_PRELOAD=/x.so\nV=vault://secret/new#k\n");
  const changed = await cli(world, ["get", "K"], { cwd: project });
  t.regex(
    changed.stderr,
    /DS_PROJECT_UNTRUSTED: .*changed since you trusted it \(new or changed: devsecrets\.env:4 V\)/,
  );
  const list = await cli(world, ["trust", "--list"], { cwd: project });
  t.true(list.stdout.includes(project), list.stdout);
  t.is((await cli(world, ["trust", "--revoke"], { cwd: project })).code, 0);
  t.false((await cli(world, ["trust", "--list"], { cwd: project })).stdout.includes(project));
  const audit = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { action: string; detail?: { root?: string } })
    .filter((entry) => entry.detail?.root === realpathSync(project))
    .map((entry) => entry.action);
  t.deepEqual(audit, ["trust", "untrust"], "each decision is in the audit trail");
});

test("explain says where a variable comes from, that it is withheld and why, and its error now", async (t) => {
  const project = world.project({ "devsecrets.env": "NODE_OPTIONS=--require ./x.cjs\nK=keychain://k\n" });
  const withheld = await cli(world, ["explain", "NODE_OPTIONS"], { cwd: project });
  t.is(withheld.code, 0, withheld.stderr);
  t.regex(withheld.stdout, /NODE_OPTIONS: devsecrets\.env:1/);
  t.regex(withheld.stdout, /not trusted/);
  t.regex(withheld.stdout, /withheld: Node runs --require/);
  const failing = JSON.parse((await cli(world, ["explain", "K", "--json"], { cwd: project })).stdout);
  t.like(failing, { name: "K", reference: "keychain://k", withheld: null, project: { trusted: false } });
  t.is(failing.error.code, "DS_PROJECT_UNTRUSTED");
  const ls = await cli(world, ["ls"], { cwd: project });
  t.regex(ls.stdout, /NODE_OPTIONS .*WITHHELD/);
  t.regex(ls.stderr, /not trusted/);
});

test("direnv's `use devsecrets` exports no dangerous name of an untrusted project, and says which", async (t) => {
  const mark = marks(t);
  const project = hostileProject(mark);
  const bin = join(world.root, "direnv-bin");
  mkdirSync(bin, { recursive: true });
  if (!existsSync(join(bin, "devsecrets"))) symlinkSync(CLI, join(bin, "devsecrets"));
  const direnvrc = join(world.env.XDG_CONFIG_HOME as string, "direnv", "direnvrc");
  mkdirSync(join(world.env.XDG_CONFIG_HOME as string, "direnv"), { recursive: true });
  writeFileSync(direnvrc, (await cli(world, ["direnv"])).stdout);
  writeFileSync(join(project, ".envrc"), "use devsecrets\n");
  const env = { ...world.env, PATH: `${bin}:${world.env.PATH}` };
  const allow = await runProcess("direnv", ["allow", project], { cwd: project, env });
  t.is(allow.code, 0, `direnv is needed for this test: ${allow.stderr}`);
  const print = "console.log(JSON.stringify([process.env.NODE_OPTIONS ?? null, process.env.SAFE ?? null]))";
  const exec = await runProcess("direnv", ["exec", project, process.execPath, "-e", print], { cwd: project, env });
  t.is(exec.code, 0, exec.stderr);
  t.is(exec.stdout.trim(), '[null,"kept"]', "SAFE arrives (direnv ran the snippet), NODE_OPTIONS does not");
  t.regex(exec.stderr, /NODE_OPTIONS \(devsecrets\.env:5\) withheld/);
  t.false(existsSync(mark("NODE_OPTIONS")));
});
