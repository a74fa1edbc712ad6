// Target 1: what `devsecrets run -- node app.js` adds over `node app.js`, against one bare `node -e 0` and against dotenvx.
// Rule: one run, variants interleaved; ratios of medians of per-round differences, warm daemon.

import { realpathSync } from "node:fs";
import { CLI, DOTENVX, makeBenchWorld, projectFiles } from "./world.js";
import { differences, interleave, median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "run-overhead";

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const node = process.execPath;
    const dotenvx = realpathSync(DOTENVX);
    const sizes = [10, 200] as const;
    const variants: Variant[] = [{ name: "node -e 0", command: node, args: ["-e", "0"], env: world.env, cwd: world.root }];
    for (const size of sizes) {
      const cwd = world.project(`p${size}`, projectFiles(size));
      const env = world.env;
      variants.push(
        { name: `node app.js (${size})`, command: node, args: ["app.js"], cwd, env },
        { name: `devsecrets run (${size})`, command: node, args: [CLI, "run", "--", node, "app.js"], cwd, env },
        { name: `dotenvx run (${size})`, command: node, args: [dotenvx, "run", "-f", ".env", "--", node, "app.js"], cwd, env },
      );
      // the app exits 3 when VAR_000 is missing: a run that did not fill the environment fails here, not silently
      await timeOnce({ name: `check (${size})`, command: node, args: [CLI, "run", "--", node, "-e", "if(!process.env.VAR_000||!process.env.VAR_001?.length)process.exit(3)"], cwd, env });
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
      rows.push(
        [`node app.js (${size} vars)`, median(app), "", ""],
        [`devsecrets run (${size} vars)`, median(get(`devsecrets run (${size})`)), ours, ours / bare],
        [`dotenvx run -f .env (${size} vars)`, median(get(`dotenvx run (${size})`)), theirs, theirs / bare],
      );
      checks.push([`devsecrets run adds / node -e 0 (${size} vars)`, ours / bare, 1.15]);
      checks.push([`devsecrets run adds / dotenvx run adds (${size} vars)`, ours / theirs, 0.3]);
    }
    printTable(BENCH, `run overhead: ${rounds} interleaved rounds, median ms (added = median of per-round differences to node app.js)`,
      ["command", "median ms", "added ms", "added / node -e 0"], rows);
    for (const [name, ratio, target] of checks) checkAtMost(BENCH, name, ratio, target);
    note(BENCH, `flatness: added at 200 vars / added at 10 vars = ${(added[200]! / added[10]!).toFixed(2)}`);
  } finally {
    world.cleanup();
  }
}
