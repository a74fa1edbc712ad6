// `devsecrets shim path` and `devsecrets direnv` as a user runs them; the direnv snippet under Debian's real direnv.
// Rule: a missing direnv fails the test with the package to install, never skips it.

import test from "ava";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { spawnSync } from "node:child_process";
import { CLI, REPO_ROOT, cli, makeWorld, runProcess } from "../helpers/sandbox-env.js";
import { requireBuild, startDaemon, stopAndClean } from "../fixtures/shims/real-daemon.js";

test("shim path prints an absolute path that exists for node, python and go", async (t) => {
  const world = makeWorld();
  try {
    const expected = { node: "register.js", python: join("devsecrets", "__init__.py"), go: "go.mod" };
    for (const [language, inside] of Object.entries(expected)) {
      const result = await cli(world, ["shim", "path", language]);
      t.is(result.code, 0, result.stderr);
      const path = result.stdout.trim();
      t.true(isAbsolute(path), path);
      t.true(existsSync(language === "node" ? path : join(path, inside)), `${language}: ${path}`);
    }
    const usage = await cli(world, ["shim", "path", "ruby"]);
    t.is(usage.code, 2);
    t.regex(usage.stderr, /^devsecrets: .*ruby/m);
  } finally {
    await world.cleanup();
  }
});

test("direnv: `use devsecrets` in .envrc gives direnv exec the resolved variables", async (t) => {
  requireBuild();
  const direnv = spawnSync("direnv", ["version"], { encoding: "utf8" });
  if (direnv.error) t.fail("direnv is not installed: apt-get install -y direnv");
  const world = makeWorld();
  const pid = await startDaemon(world);
  try {
    // `devsecrets` on PATH as a global install puts it: a symlink to bin/devsecrets, which follows it home
    const bin = join(world.root, "bin");
    mkdirSync(bin);
    symlinkSync(CLI, join(bin, "devsecrets"));
    const env = { ...world.env, PATH: `${bin}:${world.env.PATH}`, DEVSECRETS_NO_AUTOSTART: "1" };

    const snippet = await runProcess(join(bin, "devsecrets"), ["direnv"], { env });
    t.is(snippet.code, 0, snippet.stderr);
    t.regex(snippet.stdout, /^use_devsecrets\(\) \{/m);
    t.regex(snippet.stdout, /watch_file devsecrets\.env devsecrets\.\*\.env/);
    t.regex(snippet.stdout, /devsecrets env --format sh/);
    mkdirSync(join(world.env.XDG_CONFIG_HOME as string, "direnv"), { recursive: true });
    writeFileSync(join(world.env.XDG_CONFIG_HOME as string, "direnv", "direnvrc"), snippet.stdout);

    const example = readFileSync(join(REPO_ROOT, "examples", "hello", "devsecrets.env"), "utf8");
    const project = world.project({ "devsecrets.env": example, ".envrc": "use devsecrets\n" }, "hello");
    const allowed = await runProcess("direnv", ["allow", project], { env, cwd: project });
    t.is(allowed.code, 0, allowed.stderr);

    const result = await runProcess("direnv", ["exec", project, "env"], { env, cwd: world.root });
    t.is(result.code, 0, result.stderr);
    const seen = Object.fromEntries(
      result.stdout
        .split("\n")
        .filter((line) => line.includes("="))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    t.is(seen.APP_NAME, "hello");
    t.is(seen.BASE_URL, "http://localhost:3000");
    t.regex(seen.STRIPE_SECRET_KEY ?? "", /^sk_test_/);
    t.regex(seen.GITHUB_TOKEN ?? "", /^ghp_/);
    t.regex(seen.AWS_ACCESS_KEY_ID ?? "", /^AKIA/);

    // a value the shell already has wins, as everywhere else
    const kept = await runProcess("direnv", ["exec", project, "sh", "-c", "echo $PORT"], {
      env: { ...env, PORT: "4000" },
      cwd: world.root,
    });
    t.is(kept.stdout.trim(), "4000", kept.stderr);
  } finally {
    await stopAndClean(world, pid);
  }
});
