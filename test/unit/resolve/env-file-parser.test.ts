// Unit tests of the env file parser: dotenv 16's format for valid files, file:line errors for the rest.
// Rule: no error message may carry a value from the file; every bad-line test plants one and checks.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { parseEnvFile, type EnvEntry } from "../../../common/env-file-parser.js";

const SECRET = "sk_live_PLANTED_9f8e7d";

function values(text: string): Record<string, string> {
  return Object.fromEntries(parseEnvFile(text, "devsecrets.env").map((e) => [e.name, e.value]));
}

function syntaxError(t: import("ava").ExecutionContext, text: string, fragment: string): DevsecretsError {
  const error = t.throws(() => parseEnvFile(text, "devsecrets.env"), { instanceOf: DevsecretsError });
  t.is(error.code, "DS_ENV_SYNTAX");
  t.true(error.message.includes(fragment), `${error.message} lacks ${fragment}`);
  t.false(error.message.includes(SECRET), "the message leaks a value");
  t.false(error.message.includes("PLANTED"), "the message leaks part of a value");
  return error;
}

test("simple entries keep order, quote style and line", (t) => {
  const entries = parseEnvFile("A=1\n\nB='two'\nC=\"three\"\nD=`four`\n", "f.env");
  t.deepEqual(entries, [
    { name: "A", value: "1", quote: "none", line: 1 },
    { name: "B", value: "two", quote: "single", line: 3 },
    { name: "C", value: "three", quote: "double", line: 4 },
    { name: "D", value: "four", quote: "backtick", line: 5 },
  ] satisfies EnvEntry[]);
});

test("comments: full line, indented, after an unquoted value, after a quote", (t) => {
  t.deepEqual(values("# top\n  # indented\nA=1 # trailing\nB='x' # after quote\nC=\"y\"#tight\nD=a\t# tab\n"), {
    A: "1",
    B: "x",
    C: "y",
    D: "a",
  });
});

test("a # without whitespace before it is part of an unquoted value", (t) => {
  t.deepEqual(values("COLOR=#fff\nURL=http://h/p#frag\nE= # only a comment\n"), {
    COLOR: "#fff",
    URL: "http://h/p#frag",
    E: "",
  });
});

test("export prefix and whitespace around = and the value", (t) => {
  t.deepEqual(values("export A=1\nexport\tB = two words  \n  C =  3\nexport=4\n"), {
    A: "1",
    B: "two words",
    C: "3",
    export: "4",
  });
});

test("empty values", (t) => {
  t.deepEqual(values("A=\nB=''\nC=\"\"\nD=``\nE=   \n"), { A: "", B: "", C: "", D: "", E: "" });
});

test("quoted values keep inner whitespace, # and other quotes", (t) => {
  t.deepEqual(values(`A="  a # b 'c' \`d\`  "\nB='x "y" #z'\nC=\`it's "q"\`\n`), {
    A: "  a # b 'c' `d`  ",
    B: 'x "y" #z',
    C: `it's "q"`,
  });
});

test("double quotes expand only \\n and \\r, as dotenv 16", (t) => {
  t.deepEqual(values(`${String.raw`A="a\nb\rc\td\\e"`}\n${String.raw`B='a\nb'`}\n${String.raw`C=a\nb`}`), {
    A: "a\nb\rc\\td\\\\e",
    B: "a\\nb",
    C: "a\\nb",
  });
});

test("a backslash before the quote keeps the value open and stays in it", (t) => {
  t.deepEqual(values(`${String.raw`A="say \"hi\""`}\n${String.raw`B='it\'s'`}\n${String.raw`C="a\\"`}`), {
    A: String.raw`say \"hi\"`,
    B: String.raw`it\'s`,
    C: String.raw`a\\`,
  });
  // dotenv's regex backtracks to an escaped quote when nothing later can close the value
  t.deepEqual(values(`${String.raw`D="a\"`}\n${String.raw`E="b\" # c`}`), { D: "a\\", E: "b\\" });
});

test("multiline quoted values, and line numbers after them", (t) => {
  const entries = parseEnvFile("A=\"one\ntwo\"\nB='x\n\ny'\nC=`p\nq` # c\nD=4\n", "f.env");
  t.deepEqual(
    entries.map((e) => [e.name, e.value, e.line]),
    [
      ["A", "one\ntwo", 1],
      ["B", "x\n\ny", 3],
      ["C", "p\nq", 6],
      ["D", "4", 8],
    ],
  );
});

test("CRLF and lone CR line endings, also inside multiline values", (t) => {
  const entries = parseEnvFile('A=1\r\nB="x\r\ny"\r\nC=3\rD=4', "f.env");
  t.deepEqual(
    entries.map((e) => [e.name, e.value, e.line]),
    [
      ["A", "1", 1],
      ["B", "x\ny", 2],
      ["C", "3", 4],
      ["D", "4", 5],
    ],
  );
});

test("a UTF-8 BOM at the start is ignored", (t) => {
  t.deepEqual(values("\uFEFFA=1\nB=2"), { A: "1", B: "2" });
});

test("duplicate names: every entry is returned in order", (t) => {
  const entries = parseEnvFile("A=1\nB=2\nA=3\n", "f.env");
  t.deepEqual(
    entries.map((e) => [e.name, e.value, e.line]),
    [
      ["A", "1", 1],
      ["B", "2", 2],
      ["A", "3", 3],
    ],
  );
});

test("an empty file or one of comments gives no entries", (t) => {
  t.deepEqual(parseEnvFile("", "f"), []);
  t.deepEqual(parseEnvFile("\n  \n# c\n\t\n", "f"), []);
});

test("a line without = is an error with file:line", (t) => {
  syntaxError(t, `A=1\n${SECRET}\n`, "devsecrets.env:2: expected NAME=value");
  syntaxError(t, `A=1\nexport ${SECRET}\n`, "devsecrets.env:2:");
  syntaxError(t, `A: ${SECRET}\n`, "devsecrets.env:1: expected NAME=value");
});

test("invalid names are errors, and the name text is not echoed", (t) => {
  for (const name of ["1ABC", "MY.VAR", "MY-VAR", "MY VAR", "ÄB", `${SECRET}.x`]) {
    const error = syntaxError(t, `OK=1\n\n${name}=${SECRET}\n`, "devsecrets.env:3: invalid variable name");
    t.regex(error.hint, /POSIX/);
  }
  syntaxError(t, `=${SECRET}`, "devsecrets.env:1: missing variable name");
  syntaxError(t, `export  1X=${SECRET}`, "devsecrets.env:1: invalid variable name");
});

test("an unterminated quote is reported at the line where it opened", (t) => {
  syntaxError(t, `A=1\nB="${SECRET}\nC=2\n`, "devsecrets.env:2: unterminated double quote in the value of B");
  syntaxError(t, `A='${SECRET}`, "devsecrets.env:1: unterminated single quote in the value of A");
  syntaxError(t, `A=1\n\nT=\`${SECRET}\n\n`, "devsecrets.env:3: unterminated backtick quote in the value of T");
  // the next quote is on a later line and followed by text: still the opening line is at fault
  syntaxError(t, `A="${SECRET}\nB=2\nC="x"\n`, "devsecrets.env:1: unterminated double quote in the value of A");
});

test("text after a closing quote is an error", (t) => {
  syntaxError(t, `A=1\nB="x" ${SECRET}\n`, "devsecrets.env:2: unexpected text after the closing double quote of B");
  syntaxError(t, `B='${SECRET}'x`, "devsecrets.env:1: unexpected text after the closing single quote of B");
  syntaxError(t, `B=""${SECRET}"`, "devsecrets.env:1: unexpected text after the closing double quote of B");
});

test("a 1 MB file parses quickly and in linear time", (t) => {
  const line = 'export SOME_NAME_1 = "some value with spaces and \\n" # comment\n';
  const text = line.repeat(Math.ceil(1_000_000 / line.length));
  const started = process.hrtime.bigint();
  const entries = parseEnvFile(text, "big.env");
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  t.is(entries.length, Math.ceil(1_000_000 / line.length));
  t.log(`1 MB in ${ms.toFixed(1)} ms`);
});

test("adversarial inputs stay linear: many escaped quotes, many # and a long unterminated value", (t) => {
  const inputs = [
    `A="${'\\"'.repeat(200_000)}x`,
    `A='${"\\'".repeat(200_000)}' junk`,
    `A=${"a #".repeat(200_000)}`,
    `A="${"x\n".repeat(200_000)}`,
    `A=${" ".repeat(500_000)}x`,
  ];
  for (const input of inputs) {
    try {
      parseEnvFile(input, "f");
    } catch (error) {
      t.true(error instanceof DevsecretsError);
    }
  }
  t.pass();
});
