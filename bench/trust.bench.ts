// What the trust check adds to a warm resolve: ProjectTrustBook.state (a stat of the root and of each project file,
// a realpath and a lookup) against the warm POST /v1/resolve it runs inside, and against the project load beside it.
// Rule: both measured in this run, interleaved; ratios printed, no absolute time asserted.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { socketRequest } from "../daemon/client/socket-request.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../daemon/protocol/version.js";
import { ProjectFiles } from "../daemon/resolve/project-files.js";
import { ProjectTrustBook } from "../daemon/trust/project-trust.js";
import { TrustListings } from "../daemon/trust/trust-listing.js";
import { TrustStore } from "../daemon/trust/trust-store.js";
import { makeBenchWorld, projectFiles } from "./world.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "trust";

/** microseconds per call of `fn`, as the median of `rounds` batches of `batch` calls */
async function perCall(fn: () => unknown | Promise<unknown>, batch: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await fn();
  return Number(process.hrtime.bigint() - started) / 1e3 / batch;
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    const files = projectFiles(10, "all");
    const project = world.project("trusted", {
      "devsecrets.env": `${files["devsecrets.env"]}V=vault://secret/app#key\nNODE_OPTIONS=--max-old-space-size=512\n`,
      "devsecrets.dev.env": "EXTRA=1\n",
    });
    writeFileSync(join(project, "devsecrets.json"), '{"vault":{"address":"http://127.0.0.1:8200"}}\n');
    const projects = new ProjectFiles();
    const book = new ProjectTrustBook({
      listings: new TrustListings(),
      store: new TrustStore(join(world.root, "trust-bench.json")),
      projectId: async () => "0123456789abcdef",
      trustAll: false,
    });
    await book.trust(project, book.state(project).listing.digest);

    await world.startDaemon();
    const body = { cwd: project, env: "dev", environ: world.env, override: false };
    const resolve = async () => {
      const answer = await socketRequest({
        socket: world.socket,
        method: "POST",
        path: "/v1/resolve",
        headers: { [VERSION_HEADER]: PACKAGE_VERSION },
        body,
      });
      if (answer.status !== 200) throw new Error(`resolve answered ${answer.status}`);
    };
    const series = { trust: [] as number[], load: [] as number[], resolve: [] as number[] };
    for (let round = 0; round < 23; round++) {
      const trust = await perCall(() => book.state(project), 500);
      const load = await perCall(() => projects.load(project, "dev"), 500);
      const served = await perCall(resolve, 40);
      if (round < 3) continue; // warm-up
      series.trust.push(trust);
      series.load.push(load);
      series.resolve.push(served);
    }
    const [trust, load, served] = [median(series.trust), median(series.load), median(series.resolve)];
    printTable(
      BENCH,
      `warm, 11 references + 3 items needing trust + devsecrets.json (median µs per call, Node ${process.versions.node})`,
      ["step", "µs", "share of a warm resolve"],
      [
        ["trust check (ProjectTrustBook.state, trusted project)", trust, `${((trust / served) * 100).toFixed(1)}%`],
        ["project load (ProjectFiles.load, cached)", load, `${((load / served) * 100).toFixed(1)}%`],
        ["warm POST /v1/resolve over the socket", served, "100%"],
      ],
    );
    checkAtMost(BENCH, "trust check / warm resolve", trust / served, 0.05);
    note(
      BENCH,
      "the check is a stat per project file plus a realpath: the listing is re-read only when a file changed",
    );
  } finally {
    world.stopDaemon();
    world.cleanup();
  }
}
