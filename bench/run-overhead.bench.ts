// Target 1: what `devsecrets run -- node app.js` adds over `node app.js`, against one bare `node -e 0` and against dotenvx.
// Rule: one run, variants interleaved; ratios of medians of per-round differences, warm daemon.

import { readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { CLI, DOTENVX, NATIVE_RUN, NODE_CLI, REPO_ROOT, makeBenchWorld, projectFiles } from "./world.js";
import { differences, interleave, median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "run-overhead";

// the least any run written in Node can add: a CommonJS script that only spawns the command and passes its exit code on
const SPAWN_FLOOR =
  "require('node:child_process').spawn(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }).on('exit', (c) => { process.exitCode = c; })";

/** false when bin/devsecrets.js would skip the run bundle (a source is newer: tsc ran alone after npm run build) */
function runBundleIsFresh(): boolean {
  const dir = join(REPO_ROOT, "dist", "bundle", "cli");
  try {
    const made = statSync(join(dir, "run-fast.cjs")).mtimeMs;
    const inputs =
      (JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")) as Record<string, string[]>)["run-fast.cjs"] ?? [];
    return inputs.every((input) => (statSync(join(REPO_ROOT, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= made);
  } catch {
    return false;
  }
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const node = process.execPath;
    const dotenvx = realpathSync(DOTENVX);
    const sizes = [10, 200] as const;
    const variants: Variant[] = [
      { name: "node -e 0", command: node, args: ["-e", "0"], env: world.env, cwd: world.root },
    ];
    for (const size of sizes) {
      const cwd = world.project(`p${size}`, projectFiles(size));
      const env = world.env;
      variants.push(
        { name: `node app.js (${size})`, command: node, args: ["app.js"], cwd, env },
        { name: `spawn floor (${size})`, command: node, args: ["-e", SPAWN_FLOOR, node, "app.js"], cwd, env },
        // the installed command: bin/devsecrets hands `run` to the native launcher (shims/go/cmd/devsecrets-run)
        { name: `devsecrets run (${size})`, command: CLI, args: ["run", "--", node, "app.js"], cwd, env },
        // masking pipes the child's output; --no-mask shows what the rest of run adds (the launcher execs the app)
        {
          name: `devsecrets run --no-mask (${size})`,
          command: CLI,
          args: ["run", "--no-mask", "--", node, "app.js"],
          cwd,
          env,
        },
        // the Node path, what `run` is where the launcher was not built (no Go at install)
        { name: `node path run (${size})`, command: node, args: [NODE_CLI, "run", "--", node, "app.js"], cwd, env },
        {
          name: `dotenvx run (${size})`,
          command: node,
          args: [dotenvx, "run", "-f", ".env", "--", node, "app.js"],
          cwd,
          env,
        },
      );
      // the app exits 3 when VAR_000 is missing: a run that did not fill the environment fails here, not silently
      for (const [command, args] of [
        [CLI, []],
        [node, [NODE_CLI]],
      ] as const) {
        await timeOnce({
          name: `check (${size})`,
          command,
          args: [
            ...args,
            "run",
            "--",
            node,
            "-e",
            "if(!process.env.VAR_000||!process.env.VAR_001?.length)process.exit(3)",
          ],
          cwd,
          env,
        });
      }
    }
    const rounds = roundsFromEnv(20);
    const times = await interleave(variants, rounds, 3);
    const get = (name: string) => times.get(name)!;
    const bare = median(get("node -e 0"));
    const rows: (string | number)[][] = [["node -e 0", bare, "", ""]];
    const checks: [string, number, number][] = [];
    const added: Record<number, number> = {};
    for (const size of sizes) {
      const app = get(`node app.js (${size})`);
      const ours = median(differences(get(`devsecrets run (${size})`), app));
      const theirs = median(differences(get(`dotenvx run (${size})`), app));
      added[size] = ours;
      const floor = median(differences(get(`spawn floor (${size})`), app));
      const unmasked = median(differences(get(`devsecrets run --no-mask (${size})`), app));
      const nodePath = median(differences(get(`node path run (${size})`), app));
      rows.push(
        [`node app.js (${size} vars)`, median(app), "", ""],
        [`floor: node -e spawn(node app.js) (${size} vars)`, median(get(`spawn floor (${size})`)), floor, floor / bare],
        [`devsecrets run (${size} vars)`, median(get(`devsecrets run (${size})`)), ours, ours / bare],
        [
          `devsecrets run --no-mask (${size} vars)`,
          median(get(`devsecrets run --no-mask (${size})`)),
          unmasked,
          unmasked / bare,
        ],
        [
          `node bin/devsecrets.js run (Node path) (${size} vars)`,
          median(get(`node path run (${size})`)),
          nodePath,
          nodePath / bare,
        ],
        [`dotenvx run -f .env (${size} vars)`, median(get(`dotenvx run (${size})`)), theirs, theirs / bare],
      );
      checks.push([`devsecrets run adds / node -e 0 (${size} vars)`, ours / bare, 1.15]);
      checks.push([`devsecrets run adds / dotenvx run adds (${size} vars)`, ours / theirs, 0.3]);
    }
    printTable(
      BENCH,
      `run overhead: ${rounds} interleaved rounds, median ms (added = median of per-round differences to node app.js)`,
      ["command", "median ms", "added ms", "added / node -e 0"],
      rows,
    );
    for (const [name, ratio, target] of checks) checkAtMost(BENCH, name, ratio, target);
    note(
      BENCH,
      existsSync(NATIVE_RUN)
        ? "devsecrets run = bin/devsecrets -> dist/native/devsecrets-run (the native launcher)"
        : "dist/native/devsecrets-run is missing (no Go at build): devsecrets run measured the Node path twice",
    );
    if (!runBundleIsFresh())
      note(
        BENCH,
        "dist/bundle/cli/run-fast.cjs is missing or older than a source: this run measured tsc's output, not the bundle (run npm run build)",
      );
    note(BENCH, `flatness: added at 200 vars / added at 10 vars = ${(added[200]! / added[10]!).toFixed(2)}`);
  } finally {
    world.cleanup();
  }
}
