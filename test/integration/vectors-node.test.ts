// The shared vectors through the real Node preloads, against a real daemon: `node --import register.js` and `node -r
// register.cjs` in a child, each on libuv's pipe handle and on the path a Node without it takes (node:net, a worker).
// Rule: one private world and one daemon for the file, stopped by the CLI (and by pid if it lingers).

import test from "ava";
import { join } from "node:path";
import { makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { REGISTER_CJS, REGISTER_ESM, requireBuild, startDaemon, stopAndClean } from "../fixtures/shims/real-daemon.js";
import { errorFromStderr, keptFromStderr, loadVectors, mismatches, vectorKnobs } from "../fixtures/shims/vectors.js";

const PRINT_ENV = "process.stdout.write(JSON.stringify(process.env))";

let world: World;
let pid: number | undefined;

test.before(async () => {
  requireBuild(REGISTER_ESM, REGISTER_CJS);
  world = makeWorld();
  pid = await startDaemon(world);
});

test.after.always(() => stopAndClean(world, pid));

const vectors = loadVectors();

// NODE_PENDING_DEPRECATION=1 keeps the preloads off process.binding, as a Node without the pipe handle would
const WITHOUT_PIPE = { NODE_PENDING_DEPRECATION: "1" };
const preloads: [string, string[], Record<string, string>][] = [
  ["--import", ["--import", REGISTER_ESM], {}],
  ["-r", ["-r", REGISTER_CJS], {}],
  ["--import over node:net", ["--import", REGISTER_ESM], WITHOUT_PIPE],
  ["-r through its worker", ["-r", REGISTER_CJS], WITHOUT_PIPE],
];

test("there are vectors to run", (t) => {
  t.true(vectors.length >= 15, `only ${vectors.length} vectors in test/vectors`);
});

for (const vector of vectors) {
  for (const [way, flags, extraEnv] of preloads) {
    test(`${way}: vector ${vector.name}: ${vector.description}`, async (t) => {
      // a folder of its own per way: the four ways of a vector run at once, and rewriting a shared folder's files
      // while another way's daemon read them gave that way a half-written project (flaky on a loaded machine)
      const cwd = world.project(vector.files, `node-${vector.name}-${way.replace(/\W+/g, "-")}`);
      const env = {
        ...world.env,
        ...vector.environ,
        ...vectorKnobs(vector, join(world.root, "nobody", "daemon.sock")),
        ...extraEnv,
      };
      const result = await runProcess(process.execPath, [...flags, "-e", PRINT_ENV], { cwd, env, timeoutMs: 30_000 });
      const error = errorFromStderr(result.stderr);
      if (error) t.is(result.code, 1, "a failing preload exits 1");
      else t.is(result.code, 0, `the child failed: ${result.stderr}`);
      const environ = result.code === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : null;
      const outcome = { environ, kept: keptFromStderr(result.stderr), error };
      t.deepEqual(mismatches(vector, outcome), []);
      if (error) t.regex(result.stderr, /^devsecrets: hint: \S/m, "an error comes with a hint");
      t.notRegex(result.stderr, /Warning/, "the preload prints no warning of Node's");
    });
  }
}
