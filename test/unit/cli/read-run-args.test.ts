// readRunArgs (the fast path of `run`) against commander parsing cli/commands/run.ts: same options and argv, or a fallback.
// Rule: differential; every case the fast path accepts must parse to exactly what commander gives.

import test from "ava";
import { Command } from "commander";
import { runCommand } from "../../../cli/commands/run.js";
import { readRunArgs, type RunOptions } from "../../../cli/run-child.js";

function commanderParse(
  args: string[],
  env: Record<string, string>,
): { argv: string[]; options: RunOptions } | "error" {
  const saved = { ...process.env };
  for (const name of ["DEVSECRETS_ENV", "DEVSECRETS_OVERRIDE", "DEVSECRETS_NO_MASK"]) delete process.env[name];
  Object.assign(process.env, env);
  try {
    let seen: { argv: string[]; options: RunOptions } | "error" = "error";
    const run = runCommand().action((argv: string[], options: RunOptions) => {
      seen = { argv, options: { ...options } };
    });
    const program = new Command("devsecrets")
      .enablePositionalOptions()
      .exitOverride()
      .configureOutput({ writeErr: () => {}, writeOut: () => {} });
    run.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    program.addCommand(run);
    try {
      program.parse(["run", ...args], { from: "user" });
    } catch {
      return "error";
    }
    return seen;
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

const ARGS: string[][] = [
  ["--", "node", "app.js"],
  ["node", "app.js", "--flag", "--", "x"],
  ["--env", "staging", "--", "sh", "-c", "echo"],
  ["--env=prod", "--override", "--no-mask", "--", "x", "--json"],
  ["--override", "cmd", "--override"],
  ["--env", "--override", "--", "x"],
  ["--env", "a", "--env", "b", "x"],
  ["-", "x"],
  ["--", "--", "x"],
  ["--no-mask", "x", "--no-mask"],
  ["--help"],
  ["-h", "--", "x"],
  ["--unknown", "--", "x"],
  ["--override=1", "x"],
  ["--mask", "x"],
  ["--"],
  [],
  ["--env"],
];
const ENVS: Record<string, string>[] = [
  {},
  { DEVSECRETS_ENV: "staging" },
  { DEVSECRETS_ENV: "" },
  { DEVSECRETS_OVERRIDE: "0" },
  { DEVSECRETS_NO_MASK: "" },
  { DEVSECRETS_ENV: "x", DEVSECRETS_OVERRIDE: "1", DEVSECRETS_NO_MASK: "1" },
];

for (const args of ARGS) {
  test(`run ${JSON.stringify(args)}: the fast path agrees with commander or falls back`, (t) => {
    for (const env of ENVS) {
      const fast = readRunArgs(args, env);
      const slow = commanderParse(args, env);
      if (fast === null) {
        t.pass();
        continue;
      }
      t.not(slow, "error", `fast path accepted what commander refuses (env ${JSON.stringify(env)})`);
      t.deepEqual(fast, slow, `env ${JSON.stringify(env)}`);
    }
  });
}

test("the fast path does not fall back on the everyday forms", (t) => {
  for (const args of [
    ["--", "node", "app.js"],
    ["--env", "staging", "--override", "--", "npm", "start"],
    ["npm", "test"],
  ]) {
    t.not(readRunArgs(args, {}), null, JSON.stringify(args));
  }
});
