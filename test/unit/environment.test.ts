// The DEVSECRETS_* table (common/environment.ts), its dialect, and what holds it to the truth: docs/environment.md
// lists exactly its rows, every DEVSECRETS_* name in the sources has one, the preloads' own reader agrees with it.
// Rule: the sources and the docs are read as files, as a newcomer would; nothing here is mocked but stderr.

import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  DEFAULT_ENV,
  VARIABLES,
  readBoolean,
  readInteger,
  readString,
  refuseInvalid,
  variable,
  type VariableName,
} from "../../common/environment.js";
import { FLAG_WORDS, parseFlag, readFlag, readText, sayIgnored } from "../../common/environment-dialect.js";
import { CLIENT_VARIABLES } from "../../daemon/client/client-environment.js";
import { DevsecretsError } from "../../common/errors.js";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

test("the dialect: 1|true|yes|on are true, 0|false|no|off false, empty and unset undefined, anything else null", (t) => {
  for (const word of ["1", "true", "yes", "on"]) t.is(parseFlag(word), true, word);
  for (const word of ["0", "false", "no", "off"]) t.is(parseFlag(word), false, word);
  t.is(parseFlag(""), undefined);
  t.is(parseFlag(undefined), undefined);
  for (const word of ["bogus", "2", "TRUE", "Yes", " 1", "1 ", "y", "n", "-1", "truee", "1\n"]) {
    t.is(parseFlag(word), null, JSON.stringify(word));
  }
});

test("readFlag tells onInvalid what it could not read, once, and reads the variable as unset", (t) => {
  const told: string[][] = [];
  const onInvalid = (name: string, text: string, expected: string) => void told.push([name, text, expected]);
  t.is(readFlag({ X: "yes" }, "X", onInvalid), true);
  t.is(readFlag({ X: "" }, "X", onInvalid), undefined);
  t.is(readFlag({}, "X", onInvalid), undefined);
  t.is(readFlag({ X: "maybe" }, "X", onInvalid), undefined);
  t.deepEqual(told, [["X", "maybe", FLAG_WORDS]]);
  t.is(readText({ X: "" }, "X"), undefined, "empty is unset for text too");
  t.is(readText({ X: "staging" }, "X"), "staging");
});

test("the table's readers: a flag's default from its row, DS_USAGE for a value outside the dialect", (t) => {
  t.false(readBoolean({}, "DEVSECRETS_OVERRIDE"));
  t.true(readBoolean({}, "DEVSECRETS_NATIVE"), "DEVSECRETS_NATIVE defaults to true");
  t.false(readBoolean({ DEVSECRETS_NATIVE: "off" }, "DEVSECRETS_NATIVE"));
  t.true(readBoolean({ DEVSECRETS_OVERRIDE: "on" }, "DEVSECRETS_OVERRIDE"));
  t.false(readBoolean({ DEVSECRETS_OVERRIDE: "" }, "DEVSECRETS_OVERRIDE"));
  const error = t.throws(() => readBoolean({ DEVSECRETS_OVERRIDE: "bogus" }, "DEVSECRETS_OVERRIDE"), {
    instanceOf: DevsecretsError,
  });
  t.is(error?.code, "DS_USAGE");
  t.is(error?.exitCode, 2);
  t.is(error?.message, "DEVSECRETS_OVERRIDE=bogus is not a boolean (1|true|yes|on or 0|false|no|off)");
  t.is(error?.hint, "set DEVSECRETS_OVERRIDE=1 or DEVSECRETS_OVERRIDE=0, or unset it");
  t.is(readString({ DEVSECRETS_ENV: "" }, "DEVSECRETS_ENV"), undefined);
  t.is(readInteger({ DEVSECRETS_START_TIMEOUT_MS: "2500" }, "DEVSECRETS_START_TIMEOUT_MS"), 2500);
  t.is(readInteger({ DEVSECRETS_START_TIMEOUT_MS: "" }, "DEVSECRETS_START_TIMEOUT_MS"), undefined);
  t.throws(() => readInteger({ DEVSECRETS_START_TIMEOUT_MS: "10s" }, "DEVSECRETS_START_TIMEOUT_MS"), {
    message: "DEVSECRETS_START_TIMEOUT_MS=10s is not a whole number",
  });
  t.throws(() => refuseInvalid("X", "y", "z"), { instanceOf: DevsecretsError });
});

test("sayIgnored: one stderr line a variable, as the Go shims say it, `ignored` at the end", (t) => {
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
  try {
    t.is(readFlag({ DEVSECRETS_SAY_ONCE: "maybe" }, "DEVSECRETS_SAY_ONCE", sayIgnored), undefined);
    t.is(readFlag({ DEVSECRETS_SAY_ONCE: "again" }, "DEVSECRETS_SAY_ONCE"), undefined);
  } finally {
    process.stderr.write = write;
  }
  t.deepEqual(written, [
    "devsecrets: DEVSECRETS_SAY_ONCE=maybe is not a boolean (1|true|yes|on or 0|false|no|off); ignored\n",
  ]);
});

test("DEFAULT_ENV is the one default of DEVSECRETS_ENV", (t) => {
  t.is(DEFAULT_ENV, "dev");
  t.is(variable("DEVSECRETS_ENV").default, DEFAULT_ENV);
});

test("the table: one row a name, every name DEVSECRETS_*, every flag's default true or false", (t) => {
  const names = VARIABLES.map((row) => row.name);
  t.is(new Set(names).size, names.length, "a name twice");
  for (const row of VARIABLES) {
    t.regex(row.name, /^DEVSECRETS_[A-Z][A-Z0-9_]*$/);
    t.true(row.does.length > 10, `${row.name} says what it does`);
    if (row.type === "flag" && "default" in row) t.true(["true", "false"].includes(row.default), row.name);
  }
});

test("the preloads' own reader (daemon/client/client-environment.ts) agrees with the table on every name", (t) => {
  for (const [name, type] of Object.entries(CLIENT_VARIABLES)) {
    t.is(variable(name as VariableName)?.type, type, name);
  }
});

/** the rows of one `## heading` section's table in docs/environment.md: [name, type, default, what it does] */
function documented(markdown: string, heading: string): string[][] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`)) ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `DEVSECRETS_"))
    .map((line) =>
      line
        .slice(1, -1)
        .split(" | ")
        .map((cell) => cell.trim()),
    )
    .map(([name, ...rest]) => [(name ?? "").replace(/`/g, ""), ...rest]);
}

test("docs/environment.md lists exactly the table's rows, test-only ones in their own section", (t) => {
  const markdown = readFileSync(join(REPO_ROOT, "docs", "environment.md"), "utf8");
  const rows = (testOnly: boolean) =>
    VARIABLES.filter((row) => "testOnly" in row === testOnly).map((row) => [
      row.name,
      row.type,
      "default" in row ? row.default : "",
      row.does,
    ]);
  // both directions at once: a row missing from either side, or different in any cell, is a difference
  t.deepEqual(documented(markdown, "Settings"), rows(false));
  t.deepEqual(documented(markdown, "Test-only"), rows(true));
});

const SOURCE = /\.(ts|js|mjs|cjs|go|py|sh)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir))) {
    if (entry === "node_modules" || entry === "__pycache__" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(join(REPO_ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(entry) || dir === "bin") out.push(path);
  }
  return out;
}

test("every DEVSECRETS_* name in the sources (daemon, cli, shims, common, bin) has a row in the table", (t) => {
  const files = ["daemon", "cli", "shims", "common", "bin"].flatMap(sourceFiles);
  t.true(files.length > 100, `only ${files.length} source files found`);
  const known = new Set(VARIABLES.map((row) => row.name as string));
  const unknown = new Set<string>();
  for (const file of files) {
    for (const [name] of readFileSync(join(REPO_ROOT, file), "utf8").matchAll(/DEVSECRETS_[A-Z0-9_]+/g)) {
      if (!known.has(name)) unknown.add(`${name} (${file})`);
    }
  }
  t.deepEqual([...unknown], []);
});
