// The shared vectors through the real Node preload: `node --import <dist/shims/node/register.js>` in a child, against a real daemon.
// Rule: one private world and one daemon for the file, stopped by the CLI (and by pid if it lingers).

import test from "ava";
import { join } from "node:path";
import { makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { REGISTER_ESM, requireBuild, startDaemon, stopAndClean } from "../fixtures/shims/real-daemon.js";
import { errorFromStderr, keptFromStderr, loadVectors, mismatches, vectorKnobs } from "../fixtures/shims/vectors.js";

const PRINT_ENV = "process.stdout.write(JSON.stringify(process.env))";

let world: World;
let pid: number | undefined;

test.before(async () => {
  requireBuild(REGISTER_ESM);
  world = makeWorld();
  pid = await startDaemon(world);
});

test.after.always(() => stopAndClean(world, pid));

const vectors = loadVectors();

test("there are vectors to run", (t) => {
  t.true(vectors.length >= 15, `only ${vectors.length} vectors in test/vectors`);
});

for (const vector of vectors) {
  test(`vector ${vector.name}: ${vector.description}`, async (t) => {
    const cwd = world.project(vector.files, `node-${vector.name}`);
    const env = { ...world.env, ...vector.environ, ...vectorKnobs(vector, join(world.root, "nobody", "daemon.sock")) };
    const result = await runProcess(process.execPath, ["--import", REGISTER_ESM, "-e", PRINT_ENV], { cwd, env, timeoutMs: 30_000 });
    const error = errorFromStderr(result.stderr);
    if (error) t.is(result.code, 1, "a failing preload exits 1");
    else t.is(result.code, 0, `the child failed: ${result.stderr}`);
    const outcome = {
      environ: result.code === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : null,
      kept: keptFromStderr(result.stderr),
      error,
    };
    t.deepEqual(mismatches(vector, outcome), []);
    if (error) t.regex(result.stderr, /^devsecrets: hint: \S/m, "an error comes with a hint");
  });
}
