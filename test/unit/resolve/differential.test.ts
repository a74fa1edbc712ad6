// Differential test: dotenv 16 + dotenv-expand 12 and parseEnvFile + expandVariables on the same files.
// Rule: on plain literal files (no references, earlier-only variables) the two must agree exactly.

import test from "ava";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseEnvFile } from "../../../common/env-file-parser.js";
import { expandVariables, type ExpandVariable } from "../../../daemon/resolve/expand.js";

const require = createRequire(import.meta.url);
const dotenv = require("dotenv") as { parse(src: string): Record<string, string> };
const dotenvExpand = require("dotenv-expand") as {
  expand(options: { parsed: Record<string, string>; processEnv: Record<string, string> }): {
    parsed: Record<string, string>;
  };
};

// compiled to dist/test/unit/resolve/, so the repository root is four levels up
const corpus = readFileSync(new URL("../../../../test/fixtures/resolve/differential.env", import.meta.url), "utf8");

/*
 * Lines kept out of the corpus because the two legitimately differ (each is tested on its own elsewhere):
 *   A=foo#bar           dotenv: "foo" (any # ends an unquoted value); we: "foo#bar" (only " #" does)
 *   A=#fff              dotenv: ""; we: "#fff"
 *   A="x" junk, A='x    dotenv: falls back to the raw text or skips; we: DS_ENV_SYNTAX with file:line
 *   1A=x, A.B=x, A-B=x  dotenv: accepted; we: DS_ENV_SYNTAX (POSIX names only)
 *   A: x, FOO\n=bar     dotenv: accepted (YAML-ish, '=' on the next line); we: DS_ENV_SYNTAX (no '=')
 *   A=\n"x"             dotenv: A="x" (its \s* crosses the line break); we: A="" then an error on line 2
 *   A=${B} before B=    dotenv-expand: "" (line order); we: B's value (order-independent)
 *   A=${A}, cycles      dotenv-expand: quietly "" or the default; we: DS_REF_CYCLE
 *   B=a$x, A=${B}y      dotenv-expand re-scans the substituted "a$x" and expands $x; we keep it verbatim
 *   B=$$, A=${B}        dotenv-expand feeds values to String.replace, so $$ $& $' patterns are rewritten
 *   \${A} ${A}          dotenv-expand's replace(template) hits the first, escaped, occurrence
 *   ${${B}}             dotenv-expand expands B, then the variable named by B's value; we keep "${" text
 *   $nullish, ${null}   dotenv-expand splits on the string "null" when there is no operator
 *   A='$B'              dotenv-expand expands it (it never sees quotes); single quotes are literal here
 *   ${EMPTY-x}, +       POSIX would give "" / "x"; both we and dotenv-expand treat empty as unset (in corpus)
 */

function viaDotenv(text: string): Record<string, string> {
  const parsed = dotenv.parse(text);
  return dotenvExpand.expand({ parsed, processEnv: {} }).parsed;
}

function viaDevsecrets(text: string): Record<string, string> {
  const vars = new Map<string, ExpandVariable>();
  for (const entry of parseEnvFile(text, "differential.env")) {
    vars.set(entry.name, { text: entry.value, expand: entry.quote !== "single" });
  }
  return Object.fromEntries(expandVariables(vars, {}));
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
}

test("the corpus is big enough to mean something", (t) => {
  t.true(parseEnvFile(corpus, "differential.env").length >= 40);
});

test("parse only: dotenv.parse and parseEnvFile (last duplicate wins) agree", (t) => {
  const ours: Record<string, string> = {};
  for (const entry of parseEnvFile(corpus, "differential.env")) ours[entry.name] = entry.value;
  t.deepEqual(sorted(ours), sorted(dotenv.parse(corpus)));
});

const variants: [string, (text: string) => string][] = [
  ["LF", (text) => text],
  ["CRLF", (text) => text.replace(/\n/g, "\r\n")],
  ["BOM + CRLF", (text) => `\uFEFF${text.replace(/\n/g, "\r\n")}`],
  ["trailing newline", (text) => `${text}\n`],
];

for (const [label, transform] of variants) {
  test(`parse + expand agree with dotenv + dotenv-expand (${label})`, (t) => {
    const text = transform(corpus);
    const theirs = sorted(viaDotenv(text));
    const ours = sorted(viaDevsecrets(text));
    t.is(ours.length, theirs.length);
    for (let i = 0; i < theirs.length; i++) t.deepEqual(ours[i], theirs[i], `entry ${theirs[i]?.[0]}`);
  });
}

test("each corpus line on its own agrees too (where it stands alone)", (t) => {
  let checked = 0;
  for (const line of corpus.split("\n")) {
    if (line.includes("$") || line.trim() === "" || !line.includes("=") || /^[^=]*=\s*["'`][^"'`]*$/.test(line))
      continue;
    t.deepEqual(sorted(viaDevsecrets(line)), sorted(viaDotenv(line)), line);
    checked++;
  }
  t.true(checked >= 30);
});
