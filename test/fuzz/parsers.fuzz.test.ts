// Fuzzes the text parsers a project file or a request can reach: env files, references, expansion, keychain names.
// Rule: fixed seed, bounded count; the only failure is a DevsecretsError of the documented code, with a bounded message.

import test from "ava";
import fc from "fast-check";
import { DevsecretsError } from "../../common/errors.js";
import { parseEnvFile } from "../../common/env-file-parser.js";
import { isReference, parseReference } from "../../daemon/resolve/reference-parser.js";
import { expandVariables, type ExpandVariable } from "../../daemon/resolve/expand.js";
import { validateKeychainName, valueAccount } from "../../daemon/session/stores/keychain-names.js";

const RUNS = { seed: 7_331, numRuns: 400 };

/** runs fn, returning null or the DevsecretsError code it threw; anything else thrown is rethrown (a crash) */
function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof DevsecretsError) return error.code;
    throw error;
  }
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc
    .array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 4 }), loneSurrogate), { maxLength: 40 })
    .map((parts) => parts.join("")),
);

test("parseEnvFile on arbitrary text: entries are POSIX names on increasing lines, or DS_ENV_SYNTAX", (t) => {
  const lines = fc.array(
    fc.tuple(
      fc.constantFrom("", "export ", " "),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/),
      fc.constantFrom("=", "= ", " ="),
      anyText,
    ),
    { maxLength: 20 },
  );
  const text = fc.oneof(
    anyText,
    fc
      .tuple(lines, fc.constantFrom("\n", "\r\n", "\r"))
      .map(([ls, eol]) => ls.map(([p, n, eq, v]) => `${p}${n}${eq}${v}`).join(eol)),
  );
  fc.assert(
    fc.property(text, (src) => {
      let entries: ReturnType<typeof parseEnvFile> = [];
      const code = codeOf(() => (entries = parseEnvFile(src, "p.env")));
      if (code !== null) return code === "DS_ENV_SYNTAX";
      const total = src.split(/\r\n|\r|\n/).length;
      let last = 0;
      for (const entry of entries) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.name) || entry.line < last || entry.line > total) return false;
        last = entry.line;
      }
      return true;
    }),
    RUNS,
  );
  t.pass();
});

const scheme = fc.constantFrom("keychain://", "vault://", "sandbox://", "env://", "Vault://", "vault:/", "");
const refTail = fc.oneof(
  anyText,
  fc
    .array(
      fc.constantFrom(
        "a",
        "Z",
        "0",
        "/",
        "?",
        "#",
        "&",
        "=",
        "%",
        "%2F",
        "%00",
        "%zz",
        "%C3%A9",
        "%ED%A0%80",
        ".",
        "..",
        "-",
        "_",
        " ",
        "\u0085",
        "é",
      ),
      { maxLength: 30 },
    )
    .map((p) => p.join("")),
);

test("parseReference on arbitrary text: DS_REF_SYNTAX with a bounded message, or a reference that keeps its raw form", (t) => {
  fc.assert(
    fc.property(scheme, refTail, (prefix, tail) => {
      const value = `${prefix}${tail}`;
      let parsed: ReturnType<typeof parseReference> | undefined;
      const code = codeOf(() => (parsed = parseReference(value, "f.env:3")));
      if (code !== null) {
        const message = messageOf(() => parseReference(value, "f.env:3"));
        // a pasted blob is cut at 80 characters wherever it is quoted: the message stays short
        return code === "DS_REF_SYNTAX" && message.startsWith("f.env:3: ") && message.length < 600;
      }
      return (
        isReference(value) &&
        parsed!.raw === value &&
        value.startsWith(`${parsed!.scheme}://`) &&
        !/[\u0000-\u001f]/.test(parsed!.path)
      );
    }),
    RUNS,
  );
  t.pass();
});

const varName = fc.constantFrom("A", "B", "C", "D", "E");
const expandText = fc
  .array(
    fc.oneof(
      varName.map((n) => `$${n}`),
      varName.map((n) => `\${${n}}`),
      varName.map((n) => `\${${n}:-`),
      fc.constantFrom("}", "{", "\\$", "$(", ")", "`", ":+", "-", "x", "$", "${"),
      anyText,
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

test("expandVariables on arbitrary texts: the result does not depend on line order; only DS_REF_CYCLE is thrown", (t) => {
  const vars = fc.uniqueArray(fc.tuple(varName, expandText, fc.boolean()), { selector: ([n]) => n, maxLength: 5 });
  fc.assert(
    fc.property(vars, fc.dictionary(varName, anyText, { maxKeys: 3 }), (list, environ) => {
      const forward = new Map<string, ExpandVariable>(list.map(([n, text, expand]) => [n, { text, expand }]));
      const backward = new Map([...forward].reverse());
      let a: Map<string, string> | undefined;
      let b: Map<string, string> | undefined;
      const codeA = codeOf(() => (a = expandVariables(forward, environ)));
      const codeB = codeOf(() => (b = expandVariables(backward, environ)));
      if (codeA !== null || codeB !== null) return codeA === "DS_REF_CYCLE" && codeB === "DS_REF_CYCLE";
      for (const [name, variable] of forward) {
        if (a!.get(name) !== b!.get(name)) return false;
        if (!variable.expand && a!.get(name) !== variable.text) return false;
      }
      return true;
    }),
    RUNS,
  );
  t.pass();
});

test("validateKeychainName on arbitrary text: idempotent NFC without '/', NUL or controls, at most 128 code points", (t) => {
  fc.assert(
    fc.property(
      fc.oneof(anyText, fc.constantFrom("", "/", "a\u0000", "é".repeat(129), "e\u0301", "\ud83d")),
      (name) => {
        let nfc = "";
        const code = codeOf(() => (nfc = validateKeychainName(name)));
        if (code !== null) return code === "DS_REF_SYNTAX" && messageOf(() => validateKeychainName(name)).length < 200;
        return (
          nfc === nfc.normalize("NFC") &&
          validateKeychainName(nfc) === nfc &&
          !nfc.includes("/") &&
          !/\p{Cc}/u.test(nfc) &&
          [...nfc].length >= 1 &&
          [...nfc].length <= 128 &&
          valueAccount("0123456789abcdef", name) === `0123456789abcdef/${nfc}`
        );
      },
    ),
    RUNS,
  );
  t.pass();
});
