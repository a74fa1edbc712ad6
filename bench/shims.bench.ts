// What each shim adds to an app's start: the Node preload (ESM --import, CommonJS -r), Python and Go, warm daemon.
// Rule: one run, variants interleaved; the added time is the median of per-round differences against the bare app.

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DOTENVX, REPO_ROOT, makeBenchWorld, projectFiles } from "./world.js";
import { differences, interleave, median, roundsFromEnv, timeOnce, type Variant } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";

const BENCH = "shims";
const REGISTER_ESM = join(REPO_ROOT, "dist", "shims", "node", "register.js");
const REGISTER_CJS = join(REPO_ROOT, "dist", "shims", "node", "register.cjs");
const PYTHON_SHIM = join(REPO_ROOT, "shims", "python");
const GO_SHIM = join(REPO_ROOT, "shims", "go");

/**
 * The floor of any socket-fetching preload, as PERF-NOTES' prototype: node:net, one POST, JSON.parse, Object.assign;
 * no project checks, no errors, no autostart, no subscription. What register.js adds beyond it is ours to remove.
 */
const RAW_FLOOR = `import { connect } from "node:net";
const body = JSON.stringify({ cwd: process.cwd(), env: "dev", environ: { ...process.env }, override: false });
await new Promise((resolve, reject) => {
  const socket = connect(process.env.XDG_RUNTIME_DIR + "/devsecrets/daemon.sock");
  const chunks = [];
  socket.on("connect", () => socket.write("POST /v1/resolve HTTP/1.1\\r\\nHost: d\\r\\nConnection: close\\r\\nX-Devsecrets-Version: 0.2.0\\r\\nContent-Type: application/json\\r\\nContent-Length: " + Buffer.byteLength(body) + "\\r\\n\\r\\n" + body));
  socket.on("data", (chunk) => chunks.push(chunk));
  socket.on("end", () => {
    const text = Buffer.concat(chunks).toString();
    Object.assign(process.env, JSON.parse(text.slice(text.indexOf("\\r\\n\\r\\n") + 4)).variables);
    socket.destroy();
    resolve();
  });
  socket.on("error", reject);
});
`;

/**
 * The floor of a preload on libuv's pipe handle (what register.js does, daemon/client/libuv-pipe.ts): the same one
 * POST as RAW_FLOOR without node:net; no checks, no errors, no timeout, no subscription.
 */
const PIPE_FLOOR = `const { Pipe, PipeConnectWrap, constants } = process.binding("pipe_wrap");
const { WriteWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset } = process.binding("stream_wrap");
const body = JSON.stringify({ cwd: process.cwd(), env: "dev", environ: { ...process.env }, override: false });
const text = await new Promise((resolve, reject) => {
  const handle = new Pipe(constants.SOCKET);
  const connecting = new PipeConnectWrap();
  const chunks = [];
  connecting.oncomplete = (status) => {
    if (status < 0) return reject(new Error("connect " + status));
    const writing = new WriteWrap();
    writing.handle = handle;
    writing.oncomplete = () => {};
    handle.writeUtf8String(writing, "POST /v1/resolve HTTP/1.1\\r\\nHost: d\\r\\nConnection: close\\r\\nX-Devsecrets-Version: 0.2.0\\r\\nContent-Type: application/json\\r\\nContent-Length: " + Buffer.byteLength(body) + "\\r\\n\\r\\n" + body);
    handle.onread = (buffer) => {
      const size = streamBaseState[kReadBytesOrError];
      if (size > 0) return void chunks.push(Buffer.from(buffer, streamBaseState[kArrayBufferOffset], size));
      if (size === 0) return;
      handle.close();
      resolve(Buffer.concat(chunks).toString());
    };
    handle.readStart();
  };
  handle.connect(connecting, process.env.XDG_RUNTIME_DIR + "/devsecrets/daemon.sock");
});
Object.assign(process.env, JSON.parse(text.slice(text.indexOf("\\r\\n\\r\\n") + 4)).variables);
`;

/** a Go program that calls devsecrets.Load and touches one variable; built once into the world */
function buildGoApp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "go.mod"),
    `module benchapp\n\ngo 1.22\n\nrequire github.com/devsecrets/devsecrets/shims/go v0.0.0\n\nreplace github.com/devsecrets/devsecrets/shims/go => ${GO_SHIM}\n`,
  );
  writeFileSync(
    join(dir, "main.go"),
    `package main\n\nimport (\n\t"context"\n\t"os"\n\n\tdevsecrets "github.com/devsecrets/devsecrets/shims/go"\n)\n\nfunc main() {\n\tif os.Getenv("BENCH_LOAD") == "1" {\n\t\tif err := devsecrets.Load(context.Background()); err != nil {\n\t\t\tos.Exit(3)\n\t\t}\n\t}\n\t_ = os.Getenv("VAR_000")\n}\n`,
  );
  const binary = join(dir, "benchapp");
  execFileSync("go", ["build", "-o", binary, "."], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  return binary;
}

export async function run(): Promise<void> {
  const world = makeBenchWorld();
  try {
    await world.startDaemon();
    const node = process.execPath;
    const EMPTY_ESM = join(world.root, "empty.mjs");
    writeFileSync(EMPTY_ESM, "\n");
    const RAW_ESM = join(world.root, "raw-floor.mjs");
    writeFileSync(RAW_ESM, RAW_FLOOR);
    const PIPE_ESM = join(world.root, "pipe-floor.mjs");
    writeFileSync(PIPE_ESM, PIPE_FLOOR);
    const python = "python3";
    const goApp = buildGoApp(join(world.root, "goapp"));
    const dotenvx = realpathSync(DOTENVX);
    const sizes = [10, 200] as const;
    const variants: Variant[] = [
      { name: "node -e 0", command: node, args: ["-e", "0"], env: world.env, cwd: world.root },
    ];
    for (const size of sizes) {
      const cwd = world.project(`p${size}`, projectFiles(size));
      // devsecrets as a project dependency, so `--import devsecrets/register` resolves as after `npm install devsecrets`
      mkdirSync(join(cwd, "node_modules"));
      symlinkSync(REPO_ROOT, join(cwd, "node_modules", "devsecrets"));
      const env = world.env;
      const pyEnv = { ...env, PYTHONPATH: PYTHON_SHIM };
      variants.push(
        { name: `node app.js (${size})`, command: node, args: ["app.js"], cwd, env },
        {
          name: `node --import register (${size})`,
          command: node,
          args: ["--import", "devsecrets/register", "app.js"],
          cwd,
          env,
        },
        {
          name: `node --import register path (${size})`,
          command: node,
          args: ["--import", REGISTER_ESM, "app.js"],
          cwd,
          env,
        },
        { name: `node --import empty (${size})`, command: node, args: ["--import", EMPTY_ESM, "app.js"], cwd, env },
        { name: `node --import raw floor (${size})`, command: node, args: ["--import", RAW_ESM, "app.js"], cwd, env },
        { name: `node --import pipe floor (${size})`, command: node, args: ["--import", PIPE_ESM, "app.js"], cwd, env },
        { name: `node -r register.cjs (${size})`, command: node, args: ["-r", REGISTER_CJS, "app.js"], cwd, env },
        // a Node without the pipe handle (NODE_PENDING_DEPRECATION=1 keeps the preloads off process.binding): node:net, a worker
        {
          name: `node --import register, no pipe (${size})`,
          command: node,
          args: ["--import", REGISTER_ESM, "app.js"],
          cwd,
          env: { ...env, NODE_PENDING_DEPRECATION: "1" },
        },
        {
          name: `node -r register.cjs, no pipe (${size})`,
          command: node,
          args: ["-r", REGISTER_CJS, "app.js"],
          cwd,
          env: { ...env, NODE_PENDING_DEPRECATION: "1" },
        },
        { name: `node --env-file (${size})`, command: node, args: ["--env-file=.env", "app.js"], cwd, env },
        {
          name: `dotenvx run (${size})`,
          command: node,
          args: [dotenvx, "run", "-q", "-f", ".env", "--", node, "app.js"],
          cwd,
          env,
        },
        {
          name: `python -c (${size})`,
          command: python,
          args: ["-c", "import os; os.environ.get('VAR_000')"],
          cwd,
          env: pyEnv,
        },
        {
          name: `python shim (${size})`,
          command: python,
          args: ["-c", "import devsecrets, os; devsecrets.load(); os.environ['VAR_000']"],
          cwd,
          env: pyEnv,
        },
        { name: `go app (${size})`, command: goApp, args: [], cwd, env },
        { name: `go app + Load (${size})`, command: goApp, args: [], cwd, env: { ...env, BENCH_LOAD: "1" } },
      );
      // the preload must really fill the environment: a run that did not fails here, not silently
      for (const preload of ["devsecrets/register", REGISTER_ESM, RAW_ESM, PIPE_ESM]) {
        await timeOnce({
          name: `check ${preload}`,
          command: node,
          args: ["--import", preload, "-e", "if(!process.env.VAR_001)process.exit(3)"],
          cwd,
          env,
        });
      }
    }
    const times = await interleave(variants, roundsFromEnv(20), 3);
    const get = (name: string) => times.get(name)!;
    const rows: (string | number)[][] = [];
    const added: Record<string, Record<number, number>> = {};
    const add = (label: string, size: number, variant: string, base: string) => {
      const ms = median(differences(get(variant), get(base)));
      (added[label] ??= {})[size] = ms;
      rows.push([label, size, Math.round(median(get(base)) * 10) / 10, Math.round(ms * 10) / 10]);
    };
    for (const size of sizes) {
      add("node --import devsecrets/register", size, `node --import register (${size})`, `node app.js (${size})`);
      add(
        "node --import <absolute path> (devsecrets shim path node: a global install)",
        size,
        `node --import register path (${size})`,
        `node app.js (${size})`,
      );
      add(
        "node --import <empty module> (the ESM loader alone)",
        size,
        `node --import empty (${size})`,
        `node app.js (${size})`,
      );
      add(
        "node --import <raw-socket floor> (bench/shims.bench.ts RAW_FLOOR)",
        size,
        `node --import raw floor (${size})`,
        `node app.js (${size})`,
      );
      add(
        "node --import <pipe-handle floor> (bench/shims.bench.ts PIPE_FLOOR)",
        size,
        `node --import pipe floor (${size})`,
        `node app.js (${size})`,
      );
      add("node -r devsecrets/register (CommonJS)", size, `node -r register.cjs (${size})`, `node app.js (${size})`);
      add(
        "node --import devsecrets/register, no pipe handle (node:net)",
        size,
        `node --import register, no pipe (${size})`,
        `node app.js (${size})`,
      );
      add(
        "node -r devsecrets/register, no pipe handle (a worker)",
        size,
        `node -r register.cjs, no pipe (${size})`,
        `node app.js (${size})`,
      );
      add("node --env-file=.env", size, `node --env-file (${size})`, `node app.js (${size})`);
      add("dotenvx run -f .env", size, `dotenvx run (${size})`, `node app.js (${size})`);
      add("python: devsecrets.load()", size, `python shim (${size})`, `python -c (${size})`);
      add("go: devsecrets.Load(ctx)", size, `go app + Load (${size})`, `go app (${size})`);
    }
    printTable(
      BENCH,
      "added start-up over the bare app (ms, median of per-round differences), warm daemon",
      ["shim", "vars", "bare app ms", "added ms"],
      rows,
    );
    const preload = added["node --import devsecrets/register"]!;
    const emptyImport = median(get("node -e 0"));
    checkAtMost(BENCH, "node --import preload adds (10 refs), ms / 10 ms", preload[10]! / 10, 1);
    const loader = added["node --import <empty module> (the ESM loader alone)"]!;
    note(
      BENCH,
      `beyond the ESM loader itself, the preload adds ${Math.round((preload[10]! - loader[10]!) * 10) / 10} ms (10 refs) and ${Math.round((preload[200]! - loader[200]!) * 10) / 10} ms (200 refs)`,
    );
    const floor = added["node --import <raw-socket floor> (bench/shims.bench.ts RAW_FLOOR)"]!;
    note(
      BENCH,
      `beyond the raw-socket floor (node:net, one POST, nothing else), the preload adds ${Math.round((preload[10]! - floor[10]!) * 10) / 10} ms (10 refs) and ${Math.round((preload[200]! - floor[200]!) * 10) / 10} ms (200 refs); the floor itself adds ${Math.round(floor[10]! * 10) / 10} ms`,
    );
    const pipeFloor = added["node --import <pipe-handle floor> (bench/shims.bench.ts PIPE_FLOOR)"]!;
    note(
      BENCH,
      `beyond the pipe-handle floor (libuv's pipe, one POST, nothing else), the preload adds ${Math.round((preload[10]! - pipeFloor[10]!) * 10) / 10} ms (10 refs) and ${Math.round((preload[200]! - pipeFloor[200]!) * 10) / 10} ms (200 refs); that floor itself adds ${Math.round(pipeFloor[10]! * 10) / 10} ms`,
    );
    checkAtMost(
      BENCH,
      "node --import preload at 200 refs / at 10 refs (flat)",
      preload[200]! / Math.max(preload[10]!, 0.1),
      1.5,
    );
    // tsc alone writes an unbundled register.js (several modules, plain imports): not what npm run build ships
    if (/from "\.\.?\//.test(readFileSync(REGISTER_ESM, "utf8")))
      note(
        BENCH,
        "dist/shims/node/register.js is tsc's output, not the bundle: this run measured the wrong preload (run npm run build)",
      );
    note(
      BENCH,
      `node -e 0 median ${Math.round(emptyImport * 10) / 10} ms in this run; -r (CommonJS) fetches synchronously (exempt from the 10 ms target): on the pipe handle it skips the ESM loader altogether`,
    );
  } finally {
    world.cleanup();
  }
}
