// What the clients' checks before sending cost (issue 16, DESIGN "Client checks"): the socket folder's lstat (every
// Node exchange) and the listener's uid (SO_PEERCRED, DaemonClient), per warm resolve against the real daemon; and
// the one-time load of the peer-credentials call in a fresh process, koffi's prebuilt addon against koffi's entry.
// Rule: one run, interleaved, medians and ratios; the Node version is printed with the figures.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeRequest } from "../daemon/client/libuv-pipe.js";
import { exchange } from "../daemon/client/transport.js";
import { listenerCheck } from "../daemon/client/listener-check.js";
import { socketRequest, type SocketRequest } from "../daemon/client/socket-request.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../daemon/protocol/version.js";
import { makeBenchWorld, projectFiles, REPO_ROOT } from "./world.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "client-checks";

async function timed(send: () => Promise<{ status: number }>): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await send();
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e3;
}

/** milliseconds a fresh Node spends in `script` (measured inside it, so the Node start itself is left out) */
function inFreshNode(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.once("close", (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`${script}: ${code}`))));
  });
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const cwd = world.project("p10", projectFiles(10, "all"));
    const headers = { [VERSION_HEADER]: PACKAGE_VERSION };
    const request: SocketRequest = {
      socket: world.socket,
      method: "POST",
      path: "/v1/resolve",
      body: { cwd, env: "dev", environ: world.env, override: false },
      headers,
    };
    await socketRequest(request);
    const check = listenerCheck();
    if (!check) note(BENCH, "peer credentials cannot be read here: only the folder check is measured");
    const plain = () => pipeRequest(request) ?? socketRequest(request);
    const folder = () => exchange(request);
    const both = () => exchange({ ...request, checkListener: check });
    const total = Number.parseInt(process.env.BENCH_REQUESTS ?? "", 10) || 4_000;
    const times = { plain: [] as number[], folder: [] as number[], both: [] as number[] };
    for (let i = 0; i < total; i++) {
      const order: (keyof typeof times)[] =
        i % 3 === 0
          ? ["plain", "folder", "both"]
          : i % 3 === 1
            ? ["folder", "both", "plain"]
            : ["both", "plain", "folder"];
      for (const name of order) {
        const us = await timed(name === "plain" ? plain : name === "folder" ? folder : both);
        if (i >= 200) times[name].push(us);
      }
    }
    const base = median(times.plain);
    printTable(
      BENCH,
      `warm POST /v1/resolve, 10 references, pipe handle, ${times.plain.length} interleaved each (Node ${process.version})`,
      ["client", "median µs", "vs no check"],
      [
        ["no check (before)", base, 1],
        ["folder lstat (every Node client)", median(times.folder), median(times.folder) / base],
        ["folder + listener uid (CLI, DaemonClient)", median(times.both), median(times.both) / base],
      ],
    );
    checkAtMost(BENCH, "resolve with both checks / without", median(times.both) / base, 1.1);

    // the one-time load of getsockopt in a process: koffi's prebuilt addon (common/native-libc.ts) or koffi's entry
    const addon = join(world.root, "load-addon.mjs");
    const entry = join(world.root, "load-entry.mjs");
    const dist = join(REPO_ROOT, "dist", "common");
    writeFileSync(
      addon,
      `const t = performance.now(); const m = await import(${JSON.stringify(join(dist, "peer-credentials.js"))});
       m.peerCredentialsUnavailable(); console.log(performance.now() - t);`,
    );
    writeFileSync(
      entry,
      `import { createRequire } from "node:module"; const t = performance.now();
       createRequire(${JSON.stringify(join(dist, "x.js"))})("koffi").load("libc.so.6")
         .func("int getsockopt(int fd, int level, int name, _Out_ int32_t *val, _Inout_ uint32_t *len)");
       console.log(performance.now() - t);`,
    );
    const rounds = Number.parseInt(process.env.BENCH_ROUNDS ?? "", 10) || 15;
    const loads = { addon: [] as number[], entry: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      loads.addon.push(await inFreshNode(addon));
      loads.entry.push(await inFreshNode(entry));
    }
    printTable(
      BENCH,
      `one-time load of the peer-credentials call in a fresh process, ${rounds} interleaved (Node ${process.version})`,
      ["how", "median ms"],
      [
        ["koffi's prebuilt addon (what the clients do)", median(loads.addon)],
        ["koffi's package entry", median(loads.entry)],
      ],
    );
    note(BENCH, "the preloads check the folder only (built-ins): their added time is the folder row's, once per start");
  } finally {
    world.cleanup();
  }
}
