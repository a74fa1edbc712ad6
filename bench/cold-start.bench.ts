// Issue 17's cold start: what the first `devsecrets run -- node app.js` after `daemon stop` adds over `node app.js`,
// against what `dotenvx run -f .env -- node app.js` adds every time; and a warm `run` beside them.
// Rule: one run, variants interleaved per round, the daemon stopped (untimed) before each cold run; ratios of medians
// of per-round differences.

import { execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { CLI, DOTENVX, NODE_CLI, makeBenchWorld, projectFiles } from "./world.js";
import { differences, median, timeOnce, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "cold-start";

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    const node = process.execPath;
    const cwd = world.project("p10", projectFiles(10));
    const env = world.env;
    const stop = () =>
      execFileSync(node, [NODE_CLI, "daemon", "stop"], {
        env: { ...env, DEVSECRETS_NO_AUTOSTART: "1" },
        stdio: "ignore",
        timeout: 20_000,
      });
    const app: Variant = { name: "node app.js", command: node, args: ["app.js"], cwd, env };
    const dotenvx: Variant = {
      name: "dotenvx run",
      command: node,
      args: [realpathSync(DOTENVX), "run", "-f", ".env", "--", node, "app.js"],
      cwd,
      env,
    };
    const ours: Variant = { name: "devsecrets run", command: CLI, args: ["run", "--", node, "app.js"], cwd, env };
    const rounds = Number.parseInt(process.env.BENCH_ROUNDS ?? "", 10) || 15;
    const times = { app: [] as number[], dotenvx: [] as number[], cold: [] as number[], warm: [] as number[] };
    for (let round = 0; round < rounds + 2; round++) {
      const a = await timeOnce(app);
      const d = await timeOnce(dotenvx);
      stop();
      const c = await timeOnce(ours); // autostarts the daemon
      const w = await timeOnce(ours);
      if (round < 2) continue;
      times.app.push(a);
      times.dotenvx.push(d);
      times.cold.push(c);
      times.warm.push(w);
    }
    stop();
    const theirs = median(differences(times.dotenvx, times.app));
    const cold = median(differences(times.cold, times.app));
    const warm = median(differences(times.warm, times.app));
    printTable(
      BENCH,
      `10 variables, ${rounds} interleaved rounds; 'adds' is the median per-round difference to node app.js`,
      ["command", "median ms", "adds ms", "adds / dotenvx adds"],
      [
        ["node app.js", median(times.app), 0, 0],
        ["dotenvx run -f .env -- node app.js", median(times.dotenvx), theirs, 1],
        ["devsecrets run, cold (daemon stopped)", median(times.cold), cold, cold / theirs],
        ["devsecrets run, warm", median(times.warm), warm, warm / theirs],
      ],
    );
    checkAtMost(BENCH, "cold devsecrets run adds / dotenvx run adds", cold / theirs, 0.4);
    note(BENCH, `${process.version}; NODE_EXTRA_CA_CERTS unset for every command (the world's environment)`);
    // the timed cold runs (after 2 warm-up rounds) find the project's id kept: a project's very first start asks git
    const kept = existsSync(join(env.XDG_STATE_HOME as string, "devsecrets", "project-ids.json"));
    note(
      BENCH,
      kept
        ? "cold runs read the project id from project-ids.json (no git process); a project's first start still runs git"
        : "no project-ids.json was kept: every cold run asked git for the project id",
    );
  } finally {
    world.cleanup();
  }
}
