// A live sandbox value (redis/server's password, enforced by a real redis-server) committed as a fixture: a leak while
// its server runs, a sandbox value from an earlier session once the wipe (logout) or the next start's undo after a
// crash has stopped that server. Before, a live kind's value never reached the minted registry: reported forever.
// Rule: the registry and its side file hold fingerprints only; the password is on disk nowhere in the state folder.

import test from "ava";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mintedRegistryPath } from "../../common/minted-registry.js";
import { daemonPidsOf, killAndWait, withWorld } from "../helpers/daemon-process.js";
import { cli, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";
import { redisTalk, serviceProcessesOf, servicesRoot } from "../helpers/service-processes.js";

interface Finding {
  file: string;
  line: number;
  kind: string;
  sandbox: boolean;
  why?: string;
}

const PROJECT = {
  "devsecrets.env": ["REDIS_URL=sandbox://redis/server#url", "REDIS_PASSWORD=sandbox://redis/server#password", ""].join(
    "\n",
  ),
};

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

async function tryGit(world: World, dir: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const r = await runProcess("git", args, { cwd: dir, env: { ...world.env, PATH: "/usr/local/bin:/usr/bin:/bin" } });
  return { code: r.code, output: r.stdout + r.stderr };
}

async function git(world: World, dir: string, ...args: string[]): Promise<void> {
  const r = await tryGit(world, dir, ...args);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")}: ${r.output}`);
}

/** the session's redis password and URL, written into a committed fixture of a git repository */
async function committedFixture(world: World): Promise<{ repo: string; password: string; port: number }> {
  const project = world.project(PROJECT);
  const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
  const password = vars.REDIS_PASSWORD as string;
  const port = Number(new URL(vars.REDIS_URL as string).port);
  const repo = world.project({ "README.md": "fixtures\n" });
  await git(world, repo, "init", "-q");
  await git(world, repo, "config", "user.email", "t@example.com");
  await git(world, repo, "config", "user.name", "t");
  writeFileSync(join(repo, "test.env"), `REDIS_PASSWORD=${password}\nREDIS_URL=${vars.REDIS_URL}\n`);
  await git(world, repo, "add", "test.env");
  await git(world, repo, "commit", "-qm", "redis fixture");
  return { repo, password, port };
}

async function scan(world: World, repo: string): Promise<{ code: number | null; findings: Finding[] }> {
  // no autostart: the verdict after the session must come from the registry on disk, not from a daemon
  const r = await cli(world, ["scan", "--json", "--explain", "."], {
    cwd: repo,
    env: { DEVSECRETS_NO_AUTOSTART: "1" },
  });
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
}

function stateFiles(world: World): string[] {
  const dir = join(world.env.XDG_STATE_HOME as string, "devsecrets");
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** the password in no file of the state folder (the registry and its side file hold fingerprints) */
function assertNowhereOnDisk(t: { false(v: boolean, m?: string): void }, world: World, password: string): void {
  for (const file of stateFiles(world)) t.false(readFileSync(file, "latin1").includes(password), file);
}

test("a redis/server password is a leak while its server runs and an earlier session's sandbox value after logout", async (t) => {
  await withWorld(async (world) => {
    await ok(world, ["login", "--store", "memory"]);
    const { repo, password, port } = await committedFixture(world);
    t.deepEqual(await redisTalk(port, [`AUTH default ${password}`]), ["+OK"], "the password is live");

    // the pre-commit hook judges as scan does: a second copy of the fixture is blocked while the server runs
    await ok(world, ["hook", "install"], repo);
    writeFileSync(join(repo, "again.env"), readFileSync(join(repo, "test.env")));
    await git(world, repo, "add", "again.env");
    const blocked = await tryGit(world, repo, "commit", "-qm", "again");
    t.not(blocked.code, 0, blocked.output);
    t.false(blocked.output.includes(password), "the hook shows no value");

    const during = await scan(world, repo);
    t.is(during.code, 1, "a password a running server enforces fails the scan");
    const live = during.findings.filter((f) => f.file === "test.env");
    t.true(live.length >= 1, JSON.stringify(during.findings));
    t.true(
      live.every((f) => !f.sandbox),
      JSON.stringify(live),
    );
    t.true(existsSync(`${mintedRegistryPath(join(world.env.XDG_STATE_HOME as string, "devsecrets"))}.live`));
    assertNowhereOnDisk(t, world, password);

    await ok(world, ["logout"]);
    t.deepEqual(serviceProcessesOf(world), [], "logout stopped the redis-server");
    const passed = await tryGit(world, repo, "commit", "-qm", "again, after the session");
    t.is(passed.code, 0, passed.output);
    const after = await scan(world, repo);
    t.is(after.code, 0, JSON.stringify(after.findings));
    const ours = after.findings.filter((f) => f.file === "test.env");
    t.is(ours.length, live.length, "the same lines are found, now as fakes");
    for (const f of ours) {
      t.true(f.sandbox, `line ${f.line}`);
      t.regex(f.why ?? "", /earlier session \(redis\/server\)/, `line ${f.line}`);
    }
    assertNowhereOnDisk(t, world, password);
  });
});

test("after a SIGKILL of the daemon, the next start's undo registers the password once the server is gone", async (t) => {
  await withWorld(async (world) => {
    const { repo, password } = await committedFixture(world);
    t.is((await scan(world, repo)).code, 1, "live while the server runs");
    const [daemon] = daemonPidsOf(world);
    await killAndWait(daemon as number, "SIGKILL");
    await waitFor(() => serviceProcessesOf(world).length === 0, 10_000, "the service to die with the daemon");
    t.is((await scan(world, repo)).code, 1, "not registered by the crash itself: nothing undid the journal yet");
    await ok(world, ["status"]);
    const root = servicesRoot(world);
    await waitFor(
      () => !existsSync(root) || readdirSync(root).length === 0,
      10_000,
      "the next start to undo the journal",
    );
    await waitFor(
      () => !existsSync(`${mintedRegistryPath(join(world.env.XDG_STATE_HOME as string, "devsecrets"))}.live`),
      10_000,
      "the held fingerprints to settle",
    );
    const after = await scan(world, repo);
    t.is(after.code, 0, JSON.stringify(after.findings));
    t.true(after.findings.filter((f) => f.file === "test.env").every((f) => f.sandbox));
    assertNowhereOnDisk(t, world, password);
  });
});

test("postgres/database and postgres/role on the throwaway server: leaks while it runs, earlier-session sandbox values after logout", async (t) => {
  await withWorld(async (world) => {
    await ok(world, ["login", "--store", "memory"]);
    const project = world.project({
      "devsecrets.env": "DATABASE_URL=sandbox://postgres/database#url\nROLE_URL=sandbox://postgres/role?db=app#url\n",
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const passwords = [vars.DATABASE_URL, vars.ROLE_URL].map((url) =>
      decodeURIComponent(new URL(url as string).password),
    );
    const repo = world.project({ "config.env": `DATABASE_URL=${vars.DATABASE_URL}\nROLE_URL=${vars.ROLE_URL}\n` });

    const during = await scan(world, repo);
    t.is(during.code, 1, JSON.stringify(during.findings));
    const live = during.findings.filter((f) => f.file === "config.env");
    t.deepEqual(
      live.map((f) => [f.line, f.sandbox]),
      [
        [1, false],
        [2, false],
      ],
    );

    await ok(world, ["logout"]);
    const after = await scan(world, repo);
    t.is(after.code, 0, JSON.stringify(after.findings));
    const ours = after.findings.filter((f) => f.file === "config.env");
    t.deepEqual(
      ours.map((f) => [f.line, f.sandbox]),
      [
        [1, true],
        [2, true],
      ],
    );
    t.regex(ours[0]?.why ?? "", /earlier session \(postgres\/database\)/);
    t.regex(ours[1]?.why ?? "", /earlier session \(postgres\/role\)/);
    for (const password of passwords) assertNowhereOnDisk(t, world, password);
  });
});
