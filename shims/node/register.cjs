// The CommonJS preload: `node -r devsecrets/register app.js` fills process.env before the app's first line.
// Rule: a worker resolves while this thread waits on Atomics (faster than execFileSync); names only on stderr.
"use strict";

const { EventEmitter } = require("node:events");
const { Worker, MessageChannel, receiveMessageOnPort, isMainThread } = require("node:worker_threads");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

/** `subscribed` (rotations will be followed), `rotate` (names whose values changed in process.env), `wipe` (the reason); `events.subscribed` says whether rotations are followed now */
const events = Object.assign(new EventEmitter(), { subscribed: false });
module.exports = { events };

const LOADED_MARKER = "DEVSECRETS_LOADED";
const WAIT_MS = 120_000;

function say(message) {
  process.stderr.write(`devsecrets: ${message}\n`);
}

function sayError(error) {
  say(`error ${error.code}: ${error.message}`);
  if (error.hint) say(`hint: ${error.hint}`);
}

function resolveSynchronously() {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // eval'd so that a worker module that fails to load still wakes us with an error instead of a silent wait
  const boot = `
    const { workerData } = require("node:worker_threads");
    import(workerData.url).catch((error) => {
      workerData.port.postMessage({ outcome: { ok: false, error: { code: "DS_INTERNAL", message: "the shim's worker did not load (" + error.message + ")", hint: "run npm run build, or reinstall devsecrets" } } });
      Atomics.store(workerData.signal, 0, 1);
      Atomics.notify(workerData.signal, 0);
    });`;
  const worker = new Worker(boot, {
    eval: true,
    execArgv: [],
    workerData: { url: pathToFileURL(join(__dirname, "sync-worker.js")).href, signal, port: port2, cwd: process.cwd() },
    transferList: [port2],
  });
  worker.unref();
  const waited = Atomics.wait(signal, 0, 0, WAIT_MS);
  const message = receiveMessageOnPort(port1);
  port1.close();
  void worker.terminate();
  if (waited === "timed-out" || !message) {
    return { outcome: { ok: false, error: { code: "DS_DAEMON_UNREACHABLE", message: `the daemon did not answer within ${WAIT_MS} ms`, hint: "start it with `devsecrets daemon start`, or run `devsecrets doctor`" } } };
  }
  return message.message;
}

function apply(env, answer) {
  for (const notice of answer.notices || []) say(notice.message);
  const inherited = new Set((env[LOADED_MARKER] || "").split(",").filter(Boolean));
  const kept = (answer.kept || []).filter((name) => !inherited.has(name));
  if (kept.length > 0) say(`kept from your environment: ${kept.join(", ")} (DEVSECRETS_OVERRIDE=1 to use the project's)`);
  for (const [name, value] of Object.entries(answer.variables)) env[name] = value;
  env[LOADED_MARKER] = [...new Set([...inherited, ...Object.keys(answer.variables), ...(answer.kept || [])])].join(",");
}

function load() {
  const env = process.env;
  const { outcome, request } = resolveSynchronously();
  if (outcome.ok) {
    apply(env, outcome.answer);
    // the subscription is not needed before the app's first line: it starts in the background, unref'd
    import(pathToFileURL(join(__dirname, "follow-rotations.js")).href).then(
      ({ followRotations }) => followRotations(env, request, events),
      () => {},
    );
  } else if (env.DEVSECRETS_OPTIONAL === "1") {
    sayError(outcome.error);
    say("continuing without the project's variables (DEVSECRETS_OPTIONAL=1)");
  } else {
    sayError(outcome.error);
    process.exit(1);
  }
}

// devsecrets' own CLI and daemon never load the project: NODE_OPTIONS reaches them too
const own = [join(__dirname, "..", "..", "..", "bin", "devsecrets.js"), join(__dirname, "..", "..", "daemon", "main.js")];

// a worker thread starts with a copy of the main thread's environment, already filled
if (isMainThread && !own.includes(realScript())) load();

/** the app's script as a real path (a global install reaches bin/devsecrets.js through a symlink) */
function realScript() {
  try {
    return require("node:fs").realpathSync(process.argv[1] || "");
  } catch {
    return "";
  }
}
