// The Node preloads and `run` on each Node the package supports (22, 24, 26), in one run: what each adds to the
// start of the same app on the same Node, so a version that makes the preload slower shows beside the others.
// Rule: one run, every variant of every version interleaved; added time is the median of per-round differences
// against that version's bare app, and each figure is also a ratio of it; the binaries are CI's (.ci/run).

import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { requireNode } from "../test/helpers/node-versions.js";
import { CLI, NODE_CLI, REPO_ROOT, makeBenchWorld, projectFiles } from "./world.js";
import { differences, interleave, median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "node-versions";
const VERSIONS = ["22.23.3", "24.21.0", "26.10.0"] as const;

const round1 = (ms: number) => Math.round(ms * 10) / 10;

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const cwd = world.project("p10", projectFiles(10));
    mkdirSync(join(cwd, "node_modules"));
    symlinkSync(REPO_ROOT, join(cwd, "node_modules", "devsecrets"));
    const env = world.env;
    const variants: Variant[] = [];
    for (const version of VERSIONS) {
      const node = requireNode(version);
      // the version's own bin folder first, so `run`'s child and the CLI's `node` are that version too
      const onPath = { ...env, PATH: `${join(node, "..")}:${env.PATH}` };
      variants.push(
        { name: `app ${version}`, command: node, args: ["app.js"], cwd, env: onPath },
        {
          name: `import ${version}`,
          command: node,
          args: ["--import", "devsecrets/register", "app.js"],
          cwd,
          env: onPath,
        },
        { name: `require ${version}`, command: node, args: ["-r", "devsecrets/register", "app.js"], cwd, env: onPath },
        // bin/devsecrets: the native launcher where it was built, else the Node CLI on the version's node
        { name: `run ${version}`, command: CLI, args: ["run", "--", node, "app.js"], cwd, env: onPath },
        { name: `node run ${version}`, command: node, args: [NODE_CLI, "run", "--", node, "app.js"], cwd, env: onPath },
      );
      // each preload must really fill the environment on this version: a run that did not fails here
      for (const preload of [
        ["--import", "devsecrets/register"],
        ["-r", "devsecrets/register"],
      ]) {
        await timeOnce({
          name: `check ${version} ${preload[0]}`,
          command: node,
          args: [...preload, "-e", "if(!process.env.VAR_001)process.exit(3)"],
          cwd,
          env: onPath,
        });
      }
    }
    const times = await interleave(variants, roundsFromEnv(20), 3);
    const get = (name: string) => times.get(name)!;
    const rows: (string | number)[][] = [];
    for (const version of VERSIONS) {
      const bare = median(get(`app ${version}`));
      const added = (variant: string) => median(differences(get(`${variant} ${version}`), get(`app ${version}`)));
      const cells = ["import", "require", "run", "node run"].map((variant) => added(variant));
      rows.push([version, round1(bare), ...cells.flatMap((ms) => [round1(ms), Number((ms / bare).toFixed(2))])]);
      // PERF-NOTES' targets: -r at most 5 ms, --import at most 10 ms (10 references), on every supported Node
      checkAtMost(BENCH, `Node ${version}: -r preload adds, ms / 5 ms`, cells[1]! / 5, 1);
      checkAtMost(BENCH, `Node ${version}: --import preload adds (10 refs), ms / 10 ms`, cells[0]! / 10, 1);
    }
    printTable(
      BENCH,
      `added start-up over the same Node's bare app (ms, median of per-round differences; ×: of the bare app), 10 refs, warm daemon; bench run on Node ${process.versions.node}`,
      [
        "node",
        "bare app ms",
        "--import ms",
        "--import ×",
        "-r ms",
        "-r ×",
        "run ms",
        "run ×",
        "run (Node CLI) ms",
        "run (Node CLI) ×",
      ],
      rows,
    );
    note(
      BENCH,
      "run: bin/devsecrets (the native launcher where Go built it, so the Node version only starts the child); run (Node CLI): bin/devsecrets.js on that Node",
    );
  } finally {
    world.cleanup();
  }
}
