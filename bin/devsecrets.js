#!/usr/bin/env node
// The installed entry point: `run` takes a fast path without commander; every other command loads the full CLI.
// Rule: prefer esbuild's bundles in dist/bundle (one file each, fewer modules to load), else tsc's output (run `npm run build`).

import { existsSync } from "node:fs";

const args = process.argv.slice(2);

function entry(bundle, compiled) {
  const url = new URL(`../dist/bundle/${bundle}`, import.meta.url);
  return existsSync(url) ? url.href : new URL(`../dist/${compiled}`, import.meta.url).href;
}

let code = null;
if (args[0] === "run") {
  const { runFast } = await import(entry("run-fast.mjs", "cli/run-fast.js"));
  code = await runFast(args.slice(1));
}
if (code === null) await import(entry("cli.mjs", "cli/main.js"));
else process.exitCode = code;
