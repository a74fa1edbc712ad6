// Issue 19: each sandbox service's cold start (the first resolve that starts it, daemon already running) and its
// resident memory; and the added cost of a `run` whose services are already up against a `run` with only plain
// sandbox values, interleaved in one run.
// Rule: ratios against a baseline of the same run; the services are the real programs on loopback.

import { CLI, makeBenchWorld } from "./world.js";
import { differences, interleave, median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { note, printTable } from "./report.js";
import { socketRequest } from "../daemon/client/socket-request.js";
import type { ServicesResponse } from "../daemon/protocol/service-messages.js";

const BENCH = "services";

const SERVICES: { kind: string; reference: string }[] = [
  { kind: "redis/server", reference: "sandbox://redis/server#url" },
  { kind: "postgres/database", reference: "sandbox://postgres/database#url" },
  { kind: "stripe/api-base", reference: "sandbox://stripe/api-base" },
  { kind: "aws/endpoint", reference: "sandbox://aws/endpoint" },
];

const PLAIN = ["sandbox://stripe/secret-key", "sandbox://aws/access-key#id", "sandbox://random/password"];

async function coldStarts(): Promise<void> {
  const world = makeBenchWorld();
  const rows: (string | number)[][] = [];
  try {
    const rounds = roundsFromEnv(3);
    const plainProject = world.project("plain", { "devsecrets.env": "PLAIN=sandbox://random/password\n" });
    const plain: Variant = {
      name: "env (plain)",
      command: CLI,
      args: ["env", "--format", "json"],
      cwd: plainProject,
      env: world.env,
    };
    for (const service of SERVICES) {
      const cwd = world.project(service.kind.replace("/", "-"), { "devsecrets.env": `SERVICE=${service.reference}\n` });
      const first: Variant = {
        name: service.kind,
        command: CLI,
        args: ["env", "--format", "json"],
        cwd,
        env: world.env,
      };
      const cold: number[] = [];
      const base: number[] = [];
      let rss = 0;
      for (let round = 0; round < rounds; round++) {
        world.stopDaemon();
        await world.startDaemon();
        base.push(await timeOnce(plain));
        cold.push(await timeOnce(first));
        const answer = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/sandbox/services" });
        const listed = (JSON.parse(answer.body) as ServicesResponse).services.find((s) => s.kind === service.kind);
        rss = Math.max(rss, listed?.rssBytes ?? 0);
      }
      const b = median(base);
      rows.push([service.kind, median(cold), b, median(cold) / b, (rss / 1024 / 1024).toFixed(1)]);
    }
  } finally {
    world.cleanup();
  }
  printTable(
    BENCH,
    "cold start: the first `env` that starts the service (running daemon) against an `env` of one plain sandbox value, median ms",
    ["service", "first env ms", "plain env ms", "ratio", "RSS MiB"],
    rows,
  );
}

async function runOverhead(): Promise<void> {
  const world = makeBenchWorld();
  try {
    const plainEnv = PLAIN.map((ref, i) => `PLAIN_${i}=${ref}`).join("\n");
    const withServices = `${plainEnv}\n${SERVICES.map((s, i) => `SERVICE_${i}=${s.reference}`).join("\n")}\n`;
    const plainCwd = world.project("run-plain", { "devsecrets.env": `${plainEnv}\n` });
    const servicesCwd = world.project("run-services", { "devsecrets.env": withServices });
    const node = process.execPath;
    const variants: Variant[] = [
      { name: "plain", command: CLI, args: ["run", "--", node, "-e", "0"], cwd: plainCwd, env: world.env },
      { name: "services", command: CLI, args: ["run", "--", node, "-e", "0"], cwd: servicesCwd, env: world.env },
    ];
    await world.startDaemon();
    // the services start here, outside the timing
    await timeOnce(variants[1] as Variant);
    const times = await interleave(variants, roundsFromEnv(15));
    const plain = times.get("plain") ?? [];
    const services = times.get("services") ?? [];
    const added = median(differences(services, plain));
    printTable(
      BENCH,
      "devsecrets run -- node -e 0 with 3 plain sandbox values, and the same plus the 4 service references (services up)",
      ["run", "median ms", "/ plain"],
      [
        ["plain sandbox values", median(plain), 1],
        ["plus 4 running services", median(services), median(services) / median(plain)],
        ["added per run (median of paired differences)", added, added / median(plain)],
      ],
    );
  } finally {
    world.cleanup();
  }
}

export async function run(): Promise<void> {
  note(BENCH, `Node ${process.version}`);
  await coldStarts();
  await runOverhead();
}
