// readRunArgs (the fast path of `run`) against commander parsing cli/commands/run.ts: same options and argv, or a fallback.
// Rule: differential; every case the fast path accepts must parse to exactly what commander gives.

import test from "ava";
import { Command } from "commander";
import { runCommand } from "../../../cli/commands/run.js";
import { readRunArgs, type ParsedRun, type RunOptions } from "../../../cli/run-child.js";
import { readOptionVariables } from "../../../cli/options.js";
import { DevsecretsError } from "../../../common/errors.js";

type Parsed = { argv: string[]; options: RunOptions } | { refused: string };

function commanderParse(args: string[], env: Record<string, string>): Parsed | "error" {
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
    // as cli/main.ts: the variables are read in the dialect before the action
    program.hook("preAction", (_program, command) => readOptionVariables(command));
    run.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    program.addCommand(run);
    try {
      program.parse(["run", ...args], { from: "user" });
    } catch (error) {
      return error instanceof DevsecretsError ? { refused: error.code } : "error";
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
  // the dialect: words for true and false, and a value outside it refused the same way
  { DEVSECRETS_OVERRIDE: "yes", DEVSECRETS_NO_MASK: "off" },
  { DEVSECRETS_OVERRIDE: "false", DEVSECRETS_NO_MASK: "true" },
  { DEVSECRETS_OVERRIDE: "bogus" },
  { DEVSECRETS_NO_MASK: "2" },
];

function fastParse(args: string[], env: Record<string, string>): ParsedRun | { refused: string } | null {
  try {
    return readRunArgs(args, env);
  } catch (error) {
    if (error instanceof DevsecretsError) return { refused: error.code };
    throw error;
  }
}

for (const args of ARGS) {
  test(`run ${JSON.stringify(args)}: the fast path agrees with commander or falls back`, (t) => {
    for (const env of ENVS) {
      const fast = fastParse(args, env);
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

test("run reads its variables in the dialect: 0 and off are false, yes is true, empty is unset, others are DS_USAGE", (t) => {
  const options = (env: Record<string, string>) => readRunArgs(["--", "x"], env)?.options;
  // before the dialect, a variable counted by its presence: DEVSECRETS_OVERRIDE=0 turned override on
  t.deepEqual(options({ DEVSECRETS_OVERRIDE: "0" }), { env: "dev", mask: true, override: false });
  t.deepEqual(options({ DEVSECRETS_OVERRIDE: "off", DEVSECRETS_NO_MASK: "no" }), {
    env: "dev",
    mask: true,
    override: false,
  });
  t.deepEqual(options({ DEVSECRETS_OVERRIDE: "yes", DEVSECRETS_NO_MASK: "on" }), {
    env: "dev",
    mask: false,
    override: true,
  });
  // and an empty DEVSECRETS_ENV asked for an overlay named "", which the daemon refuses
  t.deepEqual(options({ DEVSECRETS_ENV: "", DEVSECRETS_OVERRIDE: "" }), { env: "dev", mask: true });
  for (const env of [{ DEVSECRETS_OVERRIDE: "bogus" }, { DEVSECRETS_NO_MASK: "Y" }]) {
    const error = t.throws(() => readRunArgs(["--", "x"], env), { instanceOf: DevsecretsError });
    t.is(error?.code, "DS_USAGE");
    t.regex(
      error?.message ?? "",
      /^DEVSECRETS_[A-Z_]+=\w+ is not a boolean \(1\|true\|yes\|on or 0\|false\|no\|off\)$/,
    );
  }
  // a flag wins: its variable is not read at all
  t.deepEqual(readRunArgs(["--override", "--", "x"], { DEVSECRETS_OVERRIDE: "bogus" })?.options, {
    env: "dev",
    mask: true,
    override: true,
  });
});
