import test from "ava";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  CLI,
  SIGINT_CHILD,
  cli,
  interruptWhenReady,
  makeWorld,
  runProcess,
  type World,
} from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";

// one daemon for the whole file, as a user has one per session; started here, before the file's tests run at once:
// two dozen commands starting it together are a herd of Node starts that the winner shares two cores with (the run
// tests' starts ran out of 15 s under load on Node 22 and 26), and racing starters are daemon.test.ts's subject
let world: World;
test.before(async () => {
  world = makeWorld();
  const started = await cli(world, ["daemon", "start"]);
  if (started.code !== 0) throw new Error(`daemon start failed (${started.code}): ${started.stderr}`);
});
test.after.always(() => disposeWorld(world));

const TRICKY = `it's "quoted" $HOME \`cmd\` $(rm -rf /) \\ back\nslash\nnew line\ttab ünïcødé 🔑 ' '' end`;

test("run passes the child's exit code and its own flags untouched", async (t) => {
  const project = world.project({ "devsecrets.env": "GREETING=hello\n" });
  const result = await cli(
    world,
    ["run", "--", "sh", "-c", 'echo "$* $GREETING"; exit 3', "sh", "--flag", "-x", "--", "last"],
    { cwd: project },
  );
  t.is(result.code, 3, result.stderr);
  t.is(result.stdout, "--flag -x -- last hello\n");
});

test("run without -- keeps the child's flags after the command", async (t) => {
  const project = world.project({ "devsecrets.env": "GREETING=hi\n" });
  const result = await cli(world, ["run", "sh", "-c", 'echo "$# $1 $GREETING"', "sh", "--version-like"], {
    cwd: project,
  });
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, "1 --version-like hi\n");
});

test("run: the caller's environment wins unless --override, and kept names are said without values", async (t) => {
  const project = world.project({ "devsecrets.env": "PORT=3000\nURL=http://localhost:${PORT}\n" });
  const print = [process.execPath, "-e", "console.log(process.env.PORT, process.env.URL)"];
  const kept = await cli(world, ["run", "--", ...print], { cwd: project, env: { PORT: "4000" } });
  t.is(kept.stdout, "4000 http://localhost:4000\n");
  t.regex(kept.stderr, /kept from your environment: PORT/);
  t.false(kept.stderr.includes("4000"));
  const overridden = await cli(world, ["run", "--override", "--", ...print], { cwd: project, env: { PORT: "4000" } });
  t.is(overridden.stdout, "3000 http://localhost:3000\n");
});

test("run: the child's death by signal is passed on", async (t) => {
  const project = world.project({ "devsecrets.env": "A=1\n" });
  const result = await cli(world, ["run", "--", process.execPath, "-e", "process.kill(process.pid, 'SIGTERM')"], {
    cwd: project,
  });
  t.is(result.signal, "SIGTERM");
});

test("run forwards SIGINT to the child and exits with its code (nothing to mask: the launcher execs the child)", async (t) => {
  const project = world.project({ "devsecrets.env": "A=1\n" });
  const { code, out } = await interruptWhenReady(CLI, ["run", "--", process.execPath, "-e", SIGINT_CHILD], {
    cwd: project,
    env: world.env,
  });
  t.is(code, 7);
  t.regex(out, /child got SIGINT/);
});

test("env --format sh round-trips quotes, $, backticks, newlines and unicode through sh eval", async (t) => {
  const project = world.project({ "devsecrets.env": "TRICKY=env://TRICKY_SOURCE\n" });
  const printed = await cli(world, ["env", "--format", "sh"], { cwd: project, env: { TRICKY_SOURCE: TRICKY } });
  t.is(printed.code, 0, printed.stderr);
  const evaluated = await runProcess("sh", ["-c", 'eval "$1"; printf %s "$TRICKY"', "sh", printed.stdout], {
    env: { PATH: process.env.PATH ?? "" },
  });
  t.is(evaluated.stdout, TRICKY);
  t.false(existsSync("/rm-ran"));
});

test("env --format dotenv is read back by dotenv to the same values", async (t) => {
  // a single quote beside $ or " has no dotenv quoting that sh sources safely (test/security/env-formats.test.ts)
  const representable = TRICKY.replaceAll("'", "");
  const project = world.project({ "devsecrets.env": "TRICKY=env://TRICKY_SOURCE\nPLAIN=x\n" });
  const printed = await cli(world, ["env", "--format", "dotenv"], {
    cwd: project,
    env: { TRICKY_SOURCE: representable },
  });
  const dotenv = await import("dotenv");
  const parsed = dotenv.parse(printed.stdout);
  t.is(parsed.TRICKY, representable);
  t.is(parsed.PLAIN, "x");
});

test("env --format json prints a flat object of names to values", async (t) => {
  const project = world.project({ "devsecrets.env": "A=1\nB=${A}2\nKEY=sandbox://stripe/secret-key\n" });
  const result = await cli(world, ["env", "--format", "json"], { cwd: project });
  const values = JSON.parse(result.stdout) as Record<string, string>;
  t.is(values.A, "1");
  t.is(values.B, "12");
  t.regex(values.KEY as string, /^sk_test_/);
});

test("the same reference gives the same value across commands of one session", async (t) => {
  const project = world.project({
    "devsecrets.env":
      "ONE=sandbox://github/pat\nTWO=sandbox://github/pat\nID=sandbox://aws/access-key#id\nSECRET=sandbox://aws/access-key#secret\n",
  });
  const first = JSON.parse((await cli(world, ["env", "--format", "json"], { cwd: project })).stdout) as Record<
    string,
    string
  >;
  const second = JSON.parse((await cli(world, ["env", "--format", "json"], { cwd: project })).stdout) as Record<
    string,
    string
  >;
  t.deepEqual(first, second);
  t.is(first.ONE, first.TWO);
  t.regex(first.ID as string, /^AKIA[A-Z2-7]{16}$/);
  t.regex(first.SECRET as string, /^[A-Za-z0-9/+]{40}$/);
});

test("$(...) and backticks in a project file run nothing", async (t) => {
  const marker = join(world.root, "pwned");
  const project = world.project({
    "devsecrets.env": `A=$(touch ${marker})\nB=\`touch ${marker}\`\nC="$(touch ${marker})"\nD=\${X:-$(touch ${marker})}\n`,
  });
  const result = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(result.code, 0, result.stderr);
  t.false(existsSync(marker));
  const values = JSON.parse(result.stdout) as Record<string, string>;
  t.is(values.A, `$(touch ${marker})`);
});

test("errors print code, message and hint on stderr; --json prints the same code on stdout", async (t) => {
  const project = world.project({ "devsecrets.env": "OK=1\nBAD=vault://secret\n" });
  const human = await cli(world, ["get", "BAD"], { cwd: project });
  t.is(human.code, 1);
  t.regex(human.stderr, /devsecrets: error DS_REF_SYNTAX: devsecrets.env:2: /);
  t.regex(human.stderr, /devsecrets: hint: /);
  t.is(human.stdout, "");
  const machine = await cli(world, ["get", "BAD", "--json"], { cwd: project });
  t.is(machine.code, 1);
  t.is((JSON.parse(machine.stdout) as { error: { code: string } }).error.code, "DS_REF_SYNTAX");
});

test("keychain:// without a login answers DS_SESSION_NONE with the login hint", async (t) => {
  const project = world.project({ "devsecrets.env": "DB=keychain://db-password\n" });
  const result = await cli(world, ["run", "--", "true"], { cwd: project });
  t.is(result.code, 1);
  t.regex(result.stderr, /DS_SESSION_NONE/);
  t.regex(result.stderr, /devsecrets login/);
});

test("vault:// with no Vault is answered by a sandbox value, said once on stderr", async (t) => {
  const project = world.project({
    "devsecrets.env":
      "U=vault://database/creds/dev#username\nP=vault://database/creds/dev#password\nK=vault://secret/app?sandbox=stripe/secret-key#key\n",
  });
  const result = await cli(world, ["env", "--format", "json"], { cwd: project });
  const values = JSON.parse(result.stdout) as Record<string, string>;
  t.not(values.U, values.P);
  t.regex(values.K as string, /^sk_test_/);
  t.is(result.stderr.match(/no Vault is configured/g)?.length, 1);
});

test("check lists every failing reference with file:line and exits 1, printing no value", async (t) => {
  const project = world.project({
    "devsecrets.env":
      "GOOD=sandbox://uuid\nNOKIND=sandbox://no/such-kind\nMISSING=env://SURELY_UNSET_VARIABLE\nSYNTAX=vault://only\n",
  });
  const result = await cli(world, ["check"], { cwd: project });
  t.is(result.code, 1);
  t.regex(result.stderr, /devsecrets.env:2 NOKIND: DS_SANDBOX_KIND/);
  t.regex(result.stderr, /devsecrets.env:3 MISSING: DS_REF_NOT_FOUND/);
  t.regex(result.stderr, /devsecrets.env:4 SYNTAX: DS_REF_SYNTAX/);
  t.regex(result.stderr, /3 of 4 variables fail/);
  t.is(result.stdout, "");
  const ok = await cli(world, ["check", "--json"], { cwd: world.project({ "devsecrets.env": "A=sandbox://uuid\n" }) });
  t.is(ok.code, 0);
  t.deepEqual((JSON.parse(ok.stdout) as { problems: unknown[] }).problems, []);
});

test("ls shows names, sources and references, never values", async (t) => {
  const project = world.project({ "devsecrets.env": "LIT=plain-value-123\nTOK=sandbox://github/pat\n" });
  const result = await cli(world, ["ls", "--json"], { cwd: project });
  t.false(result.stdout.includes("plain-value-123"));
  const list = JSON.parse(result.stdout) as { variables: { name: string; source: string; reference: string | null }[] };
  t.deepEqual(
    list.variables.map((v) => [v.name, v.source, v.reference]),
    [
      ["LIT", "literal", null],
      ["TOK", "sandbox", "sandbox://github/pat"],
    ],
  );
});

test("sandbox mint --json prints {kind, reference, value} or {kind, reference, fields}, new on every call", async (t) => {
  const one = JSON.parse((await cli(world, ["sandbox", "mint", "github/pat", "--json"])).stdout) as {
    kind: string;
    value: string;
  };
  const two = JSON.parse((await cli(world, ["sandbox", "mint", "github/pat", "--json"])).stdout) as {
    kind: string;
    value: string;
  };
  t.is(one.kind, "github/pat");
  t.not(one.value, two.value);
  const aws = JSON.parse((await cli(world, ["sandbox", "mint", "aws/access-key", "--json"])).stdout) as {
    fields: Record<string, string>;
  };
  t.deepEqual(Object.keys(aws.fields).sort(), ["id", "secret"]);
  const bad = await cli(world, ["sandbox", "mint", "nope/nothing"]);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /DS_SANDBOX_KIND/);
});

test("sandbox kinds lists the kinds", async (t) => {
  const result = await cli(world, ["sandbox", "kinds", "--json"]);
  const kinds = (JSON.parse(result.stdout) as { kinds: { kind: string }[] }).kinds.map((k) => k.kind);
  for (const kind of ["stripe/secret-key", "github/pat", "aws/access-key", "jwt/hs256", "random/password"])
    t.true(kinds.includes(kind), kind);
});

test("bad usage exits 2 with a hint; --help shows an example and exits 0", async (t) => {
  const usage = await cli(world, ["env", "--format", "yaml"]);
  t.is(usage.code, 2);
  t.regex(usage.stderr, /devsecrets: .*yaml/);
  for (const command of ["run", "env", "get", "ls", "check", "status", "doctor"]) {
    const help = await cli(world, [command, "--help"]);
    t.is(help.code, 0, command);
    t.regex(help.stdout, /Examples?:\n\s+\$ .*devsecrets /, command);
  }
  const nothing = await cli(world, ["run"]);
  t.is(nothing.code, 2);
});

test("no project gives DS_PROJECT_NOT_FOUND with a hint", async (t) => {
  const result = await cli(world, ["run", "--", "true"], { cwd: "/" });
  t.is(result.code, 1);
  t.regex(result.stderr, /DS_PROJECT_NOT_FOUND/);
});

test("status and doctor report the daemon and never a value", async (t) => {
  const project = world.project({ "devsecrets.env": "TOK=sandbox://github/pat\n" });
  const token = (await cli(world, ["get", "TOK"], { cwd: project })).stdout;
  const status = await cli(world, ["status", "--json"]);
  const parsed = JSON.parse(status.stdout) as { session: { kind: string; counts: { sandboxTokens: number } } };
  t.is(parsed.session.kind, "anonymous");
  t.true(parsed.session.counts.sandboxTokens >= 1);
  const doctor = await cli(world, ["doctor"]);
  t.is(doctor.code, 0, doctor.stdout);
  t.regex(doctor.stdout, /ok\s+daemon/);
  t.false(status.stdout.includes(token));
  t.false(doctor.stdout.includes(token));
});

test("the hello example runs through devsecrets run on the embedded default", async (t) => {
  const result = await cli(world, ["run", "--", process.execPath, "app.js"], {
    cwd: join(process.cwd(), "examples", "hello"),
  });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /STRIPE_SECRET_KEY\s+107 chars, starts "sk_t"/);
  t.regex(result.stdout, /GITHUB_TOKEN\s+40 chars, starts "ghp_"/);
  t.notRegex(result.stdout, /\(missing\)/);
});

// DESIGN "DEVSECRETS_* dialect" for `run` on the Node path (DEVSECRETS_NATIVE=0) and for `env` (commander): before it,
// DEVSECRETS_OVERRIDE=0 turned override on (the variable counted by its presence) and an empty DEVSECRETS_ENV was
// refused as an overlay named "". cli/read-run-args.test.ts holds run's fast path and commander to the same reading.
const DIALECT_FILES = {
  "devsecrets.env": "PORT=3000\nMODE=base\n",
  "devsecrets.dev.env": "MODE=dev\n",
};

test("run: DEVSECRETS_OVERRIDE and DEVSECRETS_ENV in the dialect; a bogus value is DS_USAGE (exit 2)", async (t) => {
  const project = world.project(DIALECT_FILES);
  const run = (variables: Record<string, string>, flags: string[] = []) =>
    cli(world, ["run", ...flags, "--", process.execPath, "-e", "console.log(process.env.PORT, process.env.MODE)"], {
      cwd: project,
      env: { DEVSECRETS_NATIVE: "0", PORT: "4000", ...variables },
    });
  for (const [variables, printed] of [
    [{ DEVSECRETS_OVERRIDE: "0" }, "4000 dev"],
    [{ DEVSECRETS_OVERRIDE: "off" }, "4000 dev"],
    [{ DEVSECRETS_OVERRIDE: "1" }, "3000 dev"],
    [{ DEVSECRETS_OVERRIDE: "yes" }, "3000 dev"],
    [{ DEVSECRETS_OVERRIDE: "", DEVSECRETS_ENV: "" }, "4000 dev"],
  ] as const) {
    const result = await run(variables);
    t.is(result.code, 0, `${JSON.stringify(variables)}: ${result.stderr}`);
    t.is(result.stdout, `${printed}\n`, JSON.stringify(variables));
  }
  const bogus = await run({ DEVSECRETS_OVERRIDE: "bogus" });
  t.is(bogus.code, 2);
  t.is(bogus.stdout, "", "the child did not run");
  t.regex(
    bogus.stderr,
    /^devsecrets: error DS_USAGE: DEVSECRETS_OVERRIDE=bogus is not a boolean \(1\|true\|yes\|on or 0\|false\|no\|off\)$/m,
  );
  t.regex(bogus.stderr, /^devsecrets: hint: set DEVSECRETS_OVERRIDE=1 or DEVSECRETS_OVERRIDE=0, or unset it$/m);
  const flagWins = await run({ DEVSECRETS_OVERRIDE: "bogus" }, ["--override"]);
  t.is(flagWins.code, 0, "--override given: its variable is not read");
  t.is(flagWins.stdout, "3000 dev\n");
  const native = await run({ DEVSECRETS_NATIVE: "maybe" });
  t.is(native.code, 2, "DEVSECRETS_NATIVE outside the dialect: bin/devsecrets leaves it to Node, which refuses it");
  t.regex(native.stderr, /DS_USAGE: DEVSECRETS_NATIVE=maybe is not a boolean/);
});

test("env: DEVSECRETS_OVERRIDE=0 leaves the caller's own PORT out, =yes puts the project's in; bogus is DS_USAGE", async (t) => {
  const project = world.project(DIALECT_FILES);
  const env = (variables: Record<string, string>) =>
    cli(world, ["env", "--format", "json"], { cwd: project, env: { PORT: "4000", ...variables } });
  const off = await env({ DEVSECRETS_OVERRIDE: "0", DEVSECRETS_ENV: "" });
  t.is(off.code, 0, off.stderr);
  t.deepEqual(JSON.parse(off.stdout), { MODE: "dev" });
  const on = await env({ DEVSECRETS_OVERRIDE: "yes" });
  t.deepEqual(JSON.parse(on.stdout), { PORT: "3000", MODE: "dev" });
  const bogus = await env({ DEVSECRETS_OVERRIDE: "2" });
  t.is(bogus.code, 2);
  t.regex(bogus.stderr, /^devsecrets: error DS_USAGE: DEVSECRETS_OVERRIDE=2 is not a boolean/m);
  const format = await cli(world, ["env"], { cwd: project, env: { DEVSECRETS_FORMAT: "" } });
  t.is(format.code, 0, `an empty DEVSECRETS_FORMAT is unset: the default, sh (${format.stderr})`);
  t.regex(format.stdout, /^export MODE=/m);
});
