#!/usr/bin/env node
// The installed entry point: `run` takes a fast path without commander; every other command loads the full CLI.
// Rule: CommonJS (bin/package.json) and a CommonJS bundle for `run`, because Node 20 spends milliseconds starting its ESM loader;
// esbuild's bundles in dist/bundle/cli are used unless a source they were built from is newer (a checkout where tsc ran alone).

"use strict";
const { readFileSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

// A stray SIGUSR1 (any process of the user may send one) opens Node's inspector on 127.0.0.1:9229, to every local
// user, in a command that holds tokens or values (`login`'s prompt, `set`, `get`, `events` for hours); a listener
// takes the signal from the inspector for every command (run's forwarders add their own).
process.on("SIGUSR1", () => {});

const root = join(__dirname, "..");
const args = process.argv.slice(2);

function fresh(bundle) {
  const bundled = join(root, "dist", "bundle", "cli", bundle);
  const made = statSync(bundled, { throwIfNoEntry: false });
  if (!made) return null;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, "dist", "bundle", "cli", "inputs.json"), "utf8"))[bundle] ?? [];
  } catch (error) {
    // an installed package ships neither sources nor their list (package.json "files"): the bundle is all there is
    return error?.code === "ENOENT" ? bundled : null;
  }
  try {
    for (const input of inputs)
      if ((statSync(join(root, input), { throwIfNoEntry: false })?.mtimeMs ?? 0) > made.mtimeMs) return null;
  } catch {
    return null;
  }
  return bundled;
}

async function main() {
  let code = null;
  if (args[0] === "run") {
    const bundled = fresh("run-fast.cjs");
    const { runFast } = bundled
      ? require(bundled)
      : await import(pathToFileURL(join(root, "dist", "cli", "run-fast.js")).href);
    code = await runFast(args.slice(1));
  }
  if (code === null) await import(pathToFileURL(fresh("main.mjs") ?? join(root, "dist", "cli", "main.js")).href);
  else process.exitCode = code;
}

main();
