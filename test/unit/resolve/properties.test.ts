// Property tests (fast-check, fixed seed) of the resolve parsers and expansion on arbitrary input.
// Rule: the only failure a caller ever sees is a DevsecretsError with the documented code.

import test from "ava";
import fc from "fast-check";
import { createRequire } from "node:module";
import { DevsecretsError } from "../../../common/errors.js";
import { parseEnvFile } from "../../../common/env-file-parser.js";
import { expandVariables, type ExpandVariable } from "../../../daemon/resolve/expand.js";
import { isReference, parseReference } from "../../../daemon/resolve/reference-parser.js";

const RUNS = { seed: 42, numRuns: 500 };
const require = createRequire(import.meta.url);
const dotenv = require("dotenv") as { parse(src: string): Record<string, string> };

// "s3cr3t-mark" cannot be a variable name (it has a '-'), so a message holding it leaked a value
const MARK = "s3cr3t-mark";
const envTokens = fc.constantFrom(
  "A",
  "b_1",
  "export ",
  "=",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\r",
  "#",
  " #",
  '"',
  "'",
  "`",
  "\\",
  "\\n",
  '\\"',
  "$",
  "{",
  "}",
  "x",
  "1",
  ".",
  "-",
  ":",
  "\uFEFF",
  "\u00a0",
  "é",
  MARK,
);
const envText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(envTokens, { maxLength: 60 }).map((tokens) => tokens.join("")),
);

test("parseEnvFile throws only DS_ENV_SYNTAX, and never with a value in the message", (t) => {
  fc.assert(
    fc.property(envText, (text) => {
      try {
        parseEnvFile(text, "f.env");
      } catch (error) {
        if (!(error instanceof DevsecretsError) || error.code !== "DS_ENV_SYNTAX") return false;
        if (!/^f\.env:\d+: /.test(error.message) || error.message.includes(MARK)) return false;
      }
      return true;
    }),
    RUNS,
  );
  t.pass();
});

const plainName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/);
const plainValue = fc.stringMatching(/^[a-z0-9 .,:/@=-]{0,12}$/);
const quoting = fc.constantFrom(["", ""], ["'", "'"], ['"', '"'], ["`", "`"]);

test("parseEnvFile agrees with dotenv.parse on generated valid files", (t) => {
  const line = fc.tuple(
    fc.constantFrom("", "export ", "  "),
    plainName,
    fc.constantFrom("=", " = "),
    quoting,
    plainValue,
    fc.constantFrom("", " # note"),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom("\n", "\r\n"), (lines, eol) => {
      const text = lines
        .map(([pre, name, eq, [open, close], value, comment]) => `${pre}${name}${eq}${open}${value}${close}${comment}`)
        .join(eol);
      const ours: Record<string, string> = {};
      for (const entry of parseEnvFile(text, "f.env")) ours[entry.name] = entry.value;
      const theirs = dotenv.parse(text);
      return JSON.stringify(Object.entries(ours).sort()) === JSON.stringify(Object.entries(theirs).sort());
    }),
    RUNS,
  );
  t.pass();
});

const refText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc
    .tuple(
      fc.constantFrom("keychain://", "vault://", "sandbox://", "env://", "postgres://"),
      fc.array(
        fc.constantFrom(
          "a",
          "Z",
          "_",
          "1",
          "/",
          "?",
          "#",
          "&",
          "=",
          "%",
          "%2F",
          "%C3",
          "%C3%A9",
          "%00",
          ".",
          "..",
          "-",
          " ",
          "version",
          "env",
          "sandbox",
          "é",
        ),
        {
          maxLength: 20,
        },
      ),
    )
    .map(([scheme, parts]) => scheme + parts.join("")),
);

test("parseReference throws only DS_REF_SYNTAX, and what it returns is consistent", (t) => {
  fc.assert(
    fc.property(refText, fc.option(fc.constant("f.env:3"), { nil: undefined }), (value, where) => {
      try {
        const ref = parseReference(value, where);
        return isReference(value) && ref.raw === value && value.startsWith(`${ref.scheme}://`);
      } catch (error) {
        if (!(error instanceof DevsecretsError) || error.code !== "DS_REF_SYNTAX") return false;
        return where === undefined || error.message.startsWith(`${where}: `);
      }
    }),
    RUNS,
  );
  t.pass();
});

const NAMES = ["A", "B", "C", "D", "E"];
const exprTokens = fc.constantFrom(
  "${A}",
  "$B",
  "${C:-",
  "${D:+",
  "${E-",
  "${A+",
  "}",
  "{",
  "text",
  "\\$",
  "$",
  ":-",
  "-",
  "$(x)",
  "`y`",
  "${",
  "${}",
  "${UNSET:-",
);
const graph = fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.array(exprTokens, { maxLength: 8 }), fc.boolean()), {
  maxLength: 6,
});

test("expandVariables on random small graphs returns or throws DS_REF_CYCLE", (t) => {
  fc.assert(
    fc.property(graph, (entries) => {
      const vars = new Map<string, ExpandVariable>();
      for (const [name, tokens, expand] of entries) vars.set(name, { text: tokens.join(""), expand });
      try {
        const result = expandVariables(vars, { E: "from-environ", UNSET: "" });
        return result.size === vars.size && [...vars.keys()].every((name) => typeof result.get(name) === "string");
      } catch (error) {
        return (
          error instanceof DevsecretsError &&
          error.code === "DS_REF_CYCLE" &&
          /: ([A-E] -> )+[A-E]$/.test(error.message)
        );
      }
    }),
    RUNS,
  );
  t.pass();
});
