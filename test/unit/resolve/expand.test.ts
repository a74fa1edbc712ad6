// Unit tests of ${VAR} expansion: operators, nesting, order independence, cycles, and text that stays text.
// Rule: a substituted value is never re-scanned and nothing in a value is ever executed.

import test from "ava";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { expandVariables, type ExpandVariable } from "../../../daemon/resolve/expand.js";

function vars(entries: Record<string, string | ExpandVariable>): Map<string, ExpandVariable> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === "string" ? { text: v, expand: true } : v]));
}

function expand(
  entries: Record<string, string | ExpandVariable>,
  environ: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(expandVariables(vars(entries), environ));
}

test("$VAR and ${VAR}, undefined becomes empty", (t) => {
  t.deepEqual(expand({ A: "a", B: "$A-${A}.$A_x|$UNSET|${UNSET}" }), { A: "a", B: "a-a.||" });
});

test("operators :- - :+ + with set, empty and unset variables (dotenv-expand 12: - and + treat empty as unset)", (t) => {
  const result = expand({
    SET: "s",
    EMPTY: "",
    A: "${SET:-d}|${EMPTY:-d}|${UNSET:-d}",
    B: "${SET-d}|${EMPTY-d}|${UNSET-d}",
    C: "${SET:+p}|${EMPTY:+p}|${UNSET:+p}",
    D: "${SET+p}|${EMPTY+p}|${UNSET+p}",
    E: "${UNSET:-a:-b}|${UNSET-x-y}|${SET:+a+b}",
  });
  t.is(result.A, "s|d|d");
  t.is(result.B, "s|d|d");
  t.is(result.C, "p||");
  t.is(result.D, "p||");
  t.is(result.E, "a:-b|x-y|a+b");
});

test("project variables win over environ; environ fills the rest", (t) => {
  t.deepEqual(expand({ HOME: "/proj", A: "$HOME:$USER" }, { HOME: "/home/u", USER: "u" }), {
    HOME: "/proj",
    A: "/proj:u",
  });
});

test("independent of order: a variable may refer to one defined later", (t) => {
  t.deepEqual(expand({ URL: "http://${HOST}:${PORT}/", HOST: "$NAME.local", PORT: "80", NAME: "db" }), {
    URL: "http://db.local:80/",
    HOST: "db.local",
    PORT: "80",
    NAME: "db",
  });
});

test("a substituted value is final: never re-scanned for $", (t) => {
  const result = expand(
    { PASSWORD: { text: "pa$word${X}\\$y", expand: false }, X: "x", DSN: "u:${PASSWORD}@h" },
    { E: "$X" },
  );
  t.is(result.DSN, "u:pa$word${X}\\$y@h");
  t.is(expand({ A: "$E" }, { E: "$HOME ${HOME}" }).A, "$HOME ${HOME}");
});

test("expand=false values are verbatim, even with $ and \\$", (t) => {
  t.deepEqual(expand({ Q: { text: "${A} \\$B $C", expand: false }, A: "a" }), { Q: "${A} \\$B $C", A: "a" });
});

test("\\$ escapes a dollar; other backslashes stay", (t) => {
  t.deepEqual(expand({ A: "a", B: "\\$A \\${A} \\\\$A c:\\dir" }), { A: "a", B: "$A ${A} \\$A c:\\dir" });
});

test("nesting: a default may hold ${OTHER} or $OTHER, to any depth", (t) => {
  const result = expand({
    B: "b",
    A1: "${UNSET:-${B}}",
    A2: "${UNSET:-x$B-y}",
    A3: "${U1:-${U2:-${U3:-${B}!}}}",
    A4: "${B:+[${B}]}",
    DEEP: `${"${U:-".repeat(5000)}end${"}".repeat(5000)}`,
  });
  t.is(result.A1, "b");
  t.is(result.A2, "xb-y");
  t.is(result.A3, "b!");
  t.is(result.A4, "[b]");
  t.is(result.DEEP, "end");
});

test("braces dotenv-expand would not match stay text", (t) => {
  const result = expand({ B: "b", A: "${}|${UNSET:-{x}}|${UNSET:-${B}{|${B}}|${${B}}|{$B}" });
  t.is(result.A, "${}|${UNSET:-{x}}|${UNSET:-b{|b}|${b}|{b}");
});

test("$(...) and backticks are text: never executed, never variables", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "devsecrets-expand-"));
  const target = join(dir, "pwned");
  try {
    const text = `$(touch ${target}) \`touch ${target}\` $((1+1)) $( ls )`;
    const result = expand({
      A: text,
      B: "${A}",
      C: `\${UNSET:-$(touch ${target})}`,
      D: `\${UNSET:-\`touch ${target}\`}`,
    });
    t.is(result.A, text);
    t.is(result.B, text);
    t.is(result.C, `$(touch ${target})`);
    t.is(result.D, `\`touch ${target}\``);
    t.false(existsSync(target));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function cycleMessage(t: import("ava").ExecutionContext, entries: Record<string, string>): string {
  const error = t.throws(() => expand(entries), { instanceOf: DevsecretsError });
  t.is(error.code, "DS_REF_CYCLE");
  return error.message;
}

test("cycles are DS_REF_CYCLE naming the variables in order", (t) => {
  t.regex(cycleMessage(t, { A: "${B}", B: "${A}" }), /: A -> B -> A$/);
  t.regex(cycleMessage(t, { A: "x${A}" }), /: A -> A$/);
  t.regex(cycleMessage(t, { A: "$B", B: "$C", C: "$A" }), /: A -> B -> C -> A$/);
  t.regex(cycleMessage(t, { X: "$A", A: "${B:-x}", B: "$A" }), /: A -> B -> A$/);
  t.regex(cycleMessage(t, { A: "${U:-${B}}", B: "${C:+$A}", C: "c" }), /: A -> B -> A$/);
});

test("a cycle counts even through a default that is not needed, so no environment can hide it", (t) => {
  const error = t.throws(() => expand({ A: "${SET:-$B}", B: "$A" }, { SET: "s" }), { instanceOf: DevsecretsError });
  t.is(error.code, "DS_REF_CYCLE");
});

test("a long cycle is named with the middle elided", (t) => {
  const entries: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) entries[`V${i}`] = `\${V${(i + 1) % 1000}}`;
  const message = cycleMessage(t, entries);
  t.regex(message, /V0 -> V1 -> .* more\) -> V0$/);
  t.true(message.length < 300);
});

test("a 10,000-deep chain works (iterative, not recursive)", (t) => {
  const entries = new Map<string, ExpandVariable>();
  for (let i = 0; i < 10_000; i++) entries.set(`V${i}`, { text: i === 9999 ? "end" : `\${V${i + 1}}`, expand: true });
  const started = process.hrtime.bigint();
  const result = expandVariables(entries, {});
  t.log(`10k chain in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms`);
  t.is(result.get("V0"), "end");
  t.is(result.size, 10_000);
});

test("the result keeps the order of the input", (t) => {
  t.deepEqual([...expandVariables(vars({ Z: "$A", A: "1", M: "" }), {}).keys()], ["Z", "A", "M"]);
});
